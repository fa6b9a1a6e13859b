// `npm run bench [-- --quick] [--engine local|real|local,real] [--n N] [--mode batched|baseline]
//   [--parallel N|default] [--skip-checkpoints] [--profile]`: N InstanceRenewal resources against the emulator (in a process of its
// own) with 20 ms latency per call and a rate limit of 50 calls per second per API, batched and
// one-call-per-resource, under the local engine (default) or the real Pulumi CLI. The full run is N = 10, 100,
// 1000 in both modes and N = 10000 batched (the baseline at that size would take hours). Both engines run with
// --parallel unbounded, as the README's Fleet scale says to run a fleet (`--parallel default` measures the
// CLI's default of 4 × the CPUs). With the file backend the CLI rewrites the whole checkpoint at every step;
// --skip-checkpoints sets PULUMI_SKIP_CHECKPOINTS=true, which writes only the final one. Prints a table, the targets held or missed, then (last) a JSON document
// {"results":[{n, operation, mode, engine, parallel, apiCalls, byAction, wallMs, failures, peakRssMb}]}.
import path from "node:path";
import { UNBOUNDED, type EngineOperation } from "../engine";
import { emulatorEnv } from "../cli/scenario";
import { benchFleet } from "./fleet";
import { spawnEmulator } from "./emulator-process";
import { localEngine, realEngine, type BenchEngine, type BenchRun, type EngineName } from "./engines";
import type { CallRecord } from "../emulator";

type Mode = "batched" | "baseline";

interface Result {
  n: number;
  operation: string;
  mode: Mode;
  engine: EngineName;
  /** The --parallel it ran with; "default" for the engine's own (4 × CPUs). */
  parallel: number | "default";
  /** The real CLI wrote only the final checkpoint (PULUMI_SKIP_CHECKPOINTS). */
  skipCheckpoints?: boolean;
  apiCalls: number;
  byAction: Record<string, number>;
  wallMs: number;
  failures: number;
  peakRssMb: number;
  error?: string;
}

const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const quick = process.argv.includes("--quick");
const engines = (arg("--engine") ?? "local").split(",") as EngineName[];
for (const e of engines) if (e !== "local" && e !== "real") throw new Error(`--engine: "${e}" is not one of local, real`);
const onlyN = arg("--n") ? Number(arg("--n")) : undefined;
const onlyMode = arg("--mode") as Mode | undefined;
// --profile: after each operation, where its time went (local engine) and how full its batches were.
const profile = process.argv.includes("--profile");
const skipCheckpoints = process.argv.includes("--skip-checkpoints");
const parallel: number | "default" = arg("--parallel") === "default" ? "default" : Number(arg("--parallel") ?? UNBOUNDED);

/** The matrix: --n and --mode narrow it while tuning. */
function matrix(): Array<{ n: number; mode: Mode }> {
  const full = quick
    ? [10, 100].flatMap((n) => (["batched", "baseline"] as const).map((mode) => ({ n, mode })))
    : [...[10, 100, 1000].flatMap((n) => (["batched", "baseline"] as const).map((mode) => ({ n, mode }))), { n: 10_000, mode: "batched" as const }];
  const sizes = onlyN ? [{ n: onlyN, mode: "batched" as const }, { n: onlyN, mode: "baseline" as const }] : full;
  return sizes.filter((c) => !onlyMode || c.mode === onlyMode);
}

const PROJECT = path.join(__dirname, "project");
const OPERATIONS: Array<[string, EngineOperation, string]> = [
  ["up (create)", "up", "1"],
  ["up (update)", "up", "3"],
  ["refresh", "refresh", "3"],
  ["preview", "preview", "3"],
  ["destroy", "destroy", "3"],
];

async function measure(engineName: EngineName, n: number, mode: Mode): Promise<Result[]> {
  const emulator = await spawnEmulator(benchFleet(n));
  await emulator.addFault({ action: "*", kind: "latency", ms: 20 });
  await emulator.addFault({ action: "*", kind: "throttle", perSecond: 50 });
  const env: NodeJS.ProcessEnv = {
    ...emulatorEnv(emulator),
    ...(mode === "baseline" ? { ALICLOUD_RENEWAL_MAX_BATCH: "1" } : {}),
    ...(skipCheckpoints ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {}),
  };
  let engine: BenchEngine | undefined;
  const results: Result[] = [];
  try {
    engine = engineName === "local" ? localEngine(PROJECT, env) : await realEngine(PROJECT, env);
    for (const [operation, op, duration] of OPERATIONS) {
      await emulator.clearCalls();
      const started = Date.now();
      const run = await engine.run(op, { "renewal-bench:count": String(n), "renewal-bench:duration": duration }, parallel === "default" ? undefined : parallel);
      const wallMs = Date.now() - started;
      const calls = (await emulator.calls()).filter((c) => c.outcome !== "Throttling.User");
      const byAction: Record<string, number> = {};
      for (const c of calls) byAction[c.action] = (byAction[c.action] ?? 0) + 1;
      const peakRssMb = Math.round(run.peakRssBytes / 2 ** 20);
      results.push({ n, operation, mode, engine: engineName, parallel, ...(skipCheckpoints && engineName === "real" ? { skipCheckpoints } : {}), apiCalls: calls.length, byAction, wallMs, failures: run.failures, peakRssMb, ...(run.error ? { error: run.error } : {}) });
      process.stderr.write(`  ${engineName} n=${n} ${mode} ${operation}: ${calls.length} calls, ${wallMs} ms, ${peakRssMb} MB, ${run.failures} failures${run.error ? ` (${run.error})` : ""}\n`);
      if (profile) process.stderr.write(profileLines(run, calls, started).map((l) => `      ${l}\n`).join(""));
    }
  } finally {
    engine?.close();
    await emulator.close();
  }
  return results;
}

/** Where an operation's time went: checkpoint writes, the pace of provider calls, and how full each API call was. */
function profileLines(run: BenchRun, calls: CallRecord[], started: number): string[] {
  const lines: string[] = [];
  const p = run.profile;
  if (p) {
    lines.push(`checkpoint: ${p.checkpointWrites} writes, ${(p.checkpointMs / 1000).toFixed(1)} s in all, longest ${p.checkpointMaxMs.toFixed(0)} ms, last ${(p.checkpointBytes / 2 ** 20).toFixed(1)} MB`);
    const starts = p.callStarts;
    if (starts.length) {
      const gaps = starts.slice(1).map((t, i) => t - starts[i]);
      const long = gaps.filter((g) => g > 300);
      lines.push(`provider calls: ${starts.length}, from ${((starts[0] - started) / 1000).toFixed(1)} s to ${((starts[starts.length - 1] - started) / 1000).toFixed(1)} s; ${long.length} pauses over 300 ms (${(long.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s, longest ${Math.max(0, ...gaps)} ms)`);
    }
  }
  for (const action of [...new Set(calls.map((c) => c.action))]) {
    const sizes = calls.filter((c) => c.action === action).map((c) => c.instanceIds.length);
    const partial = sizes.filter((k) => k < 100);
    lines.push(`${SHORT[action] ?? action}: ${sizes.length} calls, ${partial.length} under 100 ids (${partial.join(" ")})`);
  }
  return lines;
}

const SHORT: Record<string, string> = { DescribeInstances: "DI", DescribeInstanceAutoRenewAttribute: "DA", ModifyInstanceAutoRenewAttribute: "MA" };

function table(results: Result[]): string {
  const rows = results.map((r) => [
    r.engine,
    String(r.n),
    r.operation,
    r.mode,
    String(r.apiCalls),
    Object.entries(r.byAction).map(([a, c]) => `${SHORT[a] ?? a}=${c}`).join(" "),
    (r.wallMs / 1000).toFixed(1),
    String(r.peakRssMb),
    String(r.failures),
  ]);
  const head = ["engine", "n", "operation", "mode", "apiCalls", "by action", "wall s", "peak MB", "failures"];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => `| ${cells.map((c, k) => c.padEnd(widths[k])).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** The calls each batched operation needs at the physical limit of 100 ids per call. */
function limitCalls(operation: string, n: number): Record<string, number> {
  const c = Math.ceil(n / 100);
  switch (operation) {
    case "up (create)":
      return { DescribeInstances: c, DescribeInstanceAutoRenewAttribute: 2 * c, ModifyInstanceAutoRenewAttribute: c };
    case "up (update)":
    case "destroy":
      return { DescribeInstances: c, DescribeInstanceAutoRenewAttribute: c, ModifyInstanceAutoRenewAttribute: c };
    case "refresh":
      return { DescribeInstances: c, DescribeInstanceAutoRenewAttribute: c };
    default:
      return {};
  }
}

/** The targets of the batched runs, one line each: held or missed. */
function targets(results: Result[]): string[] {
  const lines: string[] = [];
  const check = (held: boolean, text: string) => lines.push(`${held ? "held  " : "MISSED"} ${text}`);
  const batched = results.filter((r) => r.mode === "batched");
  for (const r of batched) {
    const limit = limitCalls(r.operation, r.n);
    if (Object.keys(limit).length) {
      const got = Object.keys(limit).map((a) => `${SHORT[a]} ${r.byAction[a] ?? 0}/${limit[a]}`).join(", ");
      check(Object.entries(limit).every(([a, c]) => (r.byAction[a] ?? 0) === c) && r.apiCalls === Object.values(limit).reduce((x, y) => x + y, 0), `${r.engine} n=${r.n} ${r.operation}: calls at the limit (${got})`);
    }
    const preview = batched.find((p) => p.engine === r.engine && p.n === r.n && p.operation === "preview");
    if (preview && r.operation !== "preview" && r.n >= 1000) {
      check(r.wallMs <= 1.5 * preview.wallMs, `${r.engine} n=${r.n} ${r.operation}: ${(r.wallMs / 1000).toFixed(1)} s within 1.5x the preview's ${(preview.wallMs / 1000).toFixed(1)} s (${(r.wallMs / preview.wallMs).toFixed(2)}x)`);
    }
    const small = batched.find((p) => p.engine === r.engine && p.n === r.n / 10 && p.operation === r.operation);
    if (small && r.n === 10_000) {
      check(r.wallMs <= 12 * small.wallMs, `${r.engine} n=${r.n} ${r.operation}: ${(r.wallMs / small.wallMs).toFixed(1)}x the wall time of n=${small.n} (at most 12x); peak ${small.peakRssMb} MB -> ${r.peakRssMb} MB`);
    }
  }
  check(results.every((r) => r.failures === 0), `zero failures in ${results.length} runs`);
  for (const b of results.filter((r) => r.mode === "baseline")) {
    const fast = batched.find((r) => r.engine === b.engine && r.n === b.n && r.operation === b.operation);
    if (fast && b.apiCalls) lines.push(`       ${b.engine} n=${b.n} ${b.operation}: one call per resource ${b.apiCalls} calls, ${(b.wallMs / 1000).toFixed(1)} s; batched ${(b.wallMs / Math.max(1, fast.wallMs)).toFixed(1)}x faster`);
  }
  return lines;
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const { n, mode } of matrix()) {
    for (const engine of engines) results.push(...(await measure(engine, n, mode)));
  }
  console.log(table(results));
  console.log("");
  for (const line of targets(results)) console.log(line);
  console.log(JSON.stringify({ results }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
