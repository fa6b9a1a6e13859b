// `npm run bench [-- --quick]`: the engine against the emulator with 20 ms latency per call and a rate limit
// of 50 calls per second per API, for N InstanceRenewal resources, batched and one-call-per-resource.
// Prints a table, then (last) a JSON document {"results":[{n, operation, mode, apiCalls, wallMs, failures}]}.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator } from "../emulator";
import { runEngine, type EngineOperation } from "../engine";
import { benchFleet } from "./fleet";

interface Result {
  n: number;
  operation: string;
  mode: "batched" | "baseline";
  apiCalls: number;
  byAction: Record<string, number>;
  wallMs: number;
  failures: number;
}

const quick = process.argv.includes("--quick");
const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
// --n 1000 and --mode batched narrow a run while tuning; the default is the full matrix.
const sizes = arg("--n") ? [Number(arg("--n"))] : quick ? [10, 100] : [10, 100, 1000];
const modes = (arg("--mode") ? [arg("--mode")] : ["batched", "baseline"]) as Array<"batched" | "baseline">;
const ROOT = path.resolve(__dirname, "..", "..");
const PROJECT = path.join(__dirname, "project");

async function measure(n: number, mode: Result["mode"]): Promise<Result[]> {
  const emulator = await startEmulator({ fleet: benchFleet(n), quiet: true, expiryVisibilityDelayMs: 0 });
  emulator.faults.add({ action: "*", kind: "latency", ms: 20 });
  emulator.faults.add({ action: "*", kind: "throttle", perSecond: 50 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "renewal-bench-"));
  const env = {
    ...process.env,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
    ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    ...(mode === "baseline" ? { ALICLOUD_RENEWAL_MAX_BATCH: "1" } : {}),
  };
  const plan: Array<[string, EngineOperation, Record<string, string>]> = [
    ["up (create)", "up", { count: String(n), duration: "1" }],
    ["up (update)", "up", { count: String(n), duration: "3" }],
    ["refresh", "refresh", { count: String(n), duration: "3" }],
    ["preview", "preview", { count: String(n), duration: "3" }],
    ["destroy", "destroy", { count: String(n), duration: "3" }],
  ];
  const results: Result[] = [];
  try {
    for (const [operation, op, config] of plan) {
      emulator.clearCalls();
      const started = Date.now();
      const result = await runEngine(op, { cwd: PROJECT, stack: "bench", stateFile: path.join(dir, "state.json"), config, env });
      const wallMs = Date.now() - started;
      const calls = emulator.calls().filter((c) => c.outcome !== "Throttling.User");
      const byAction: Record<string, number> = {};
      for (const c of calls) byAction[c.action] = (byAction[c.action] ?? 0) + 1;
      const failures = result.steps.filter((s) => s.error).length + (result.ok ? 0 : 1);
      results.push({ n, operation, mode, apiCalls: calls.length, byAction, wallMs, failures });
      process.stderr.write(`  n=${n} ${mode} ${operation}: ${calls.length} calls, ${wallMs} ms, ${failures} failures\n`);
    }
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

function table(results: Result[]): string {
  const short: Record<string, string> = { DescribeInstances: "DI", DescribeInstanceAutoRenewAttribute: "DA", ModifyInstanceAutoRenewAttribute: "MA" };
  const rows = results.map((r) => [
    String(r.n),
    r.operation,
    r.mode,
    String(r.apiCalls),
    Object.entries(r.byAction).map(([a, c]) => `${short[a] ?? a}=${c}`).join(" "),
    String(r.wallMs),
    String(r.failures),
  ]);
  const head = ["n", "operation", "mode", "apiCalls", "by action", "wallMs", "failures"];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => `| ${cells.map((c, k) => c.padEnd(widths[k])).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const n of sizes) {
    for (const mode of modes) results.push(...(await measure(n, mode)));
  }
  console.log(table(results));
  console.log("");
  for (const n of sizes) {
    for (const op of ["up (create)", "up (update)", "refresh", "destroy"]) {
      const b = results.find((r) => r.n === n && r.operation === op && r.mode === "batched");
      const base = results.find((r) => r.n === n && r.operation === op && r.mode === "baseline");
      if (!b || !base) continue;
      const perApi = Math.max(0, ...Object.values(b.byAction));
      console.log(`n=${n} ${op}: batched ${b.apiCalls} calls (most per API ${perApi}, target ≤ ${1.5 * Math.ceil(n / 100)}), ${(base.wallMs / Math.max(1, b.wallMs)).toFixed(1)}x faster than baseline`);
    }
  }
  console.log(JSON.stringify({ results: results.map(({ byAction: _b, ...r }) => r) }));
  void ROOT;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
