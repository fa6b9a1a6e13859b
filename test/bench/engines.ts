// The two engines the benchmark runs the bench project under: the local engine (in this process, with the
// dynamic-provider host as a child) and the real Pulumi CLI (a scratch stack, see test/cli/stack.ts). Each
// run reports its failures and the peak resident memory of the engine's processes (sampled every 100 ms).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runEngine, type EngineEvent, type EngineOperation } from "../engine";
import { treeRss } from "../cli/processes";
import { CliStack } from "../cli/stack";

export type EngineName = "local" | "real";

export interface BenchRun {
  ok: boolean;
  failures: number;
  error?: string;
  peakRssBytes: number;
  /** Local engine only: where its time went (checkpoint writes; when each provider call that changes something started). */
  profile?: { checkpointWrites: number; checkpointMs: number; checkpointMaxMs: number; checkpointBytes: number; callStarts: number[] };
}

export interface BenchEngine {
  name: EngineName;
  /** `parallel`: the engine's --parallel (undefined: its default, 4 × the CPUs). */
  run(operation: EngineOperation, config: Record<string, string>, parallel?: number): Promise<BenchRun>;
  close(): void;
}

/** Samples the memory of a process tree while `work` runs; `root` is read each time (a CLI starts later). */
async function sampled<T>(root: () => number | undefined, work: Promise<T>): Promise<[T, number]> {
  let peak = 0;
  const sample = () => {
    const pid = root();
    if (pid) peak = Math.max(peak, treeRss(pid));
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await work;
    return [result, peak];
  } finally {
    clearInterval(timer);
  }
}

export function localEngine(project: string, env: NodeJS.ProcessEnv): BenchEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "renewal-bench-"));
  return {
    name: "local",
    async run(operation, config, parallel) {
      // The engine runs in this process: its tree is this process and the provider host.
      const callStarts: number[] = [];
      const onEvent = (e: EngineEvent) => void (e.type === "call" && callStarts.push(Date.now()));
      const [result, peak] = await sampled(() => process.pid, runEngine(operation, { cwd: project, stack: "bench", stateFile: path.join(dir, "state.json"), config, env, onEvent, parallel }));
      const c = result.checkpoint;
      return {
        ok: result.ok,
        failures: result.steps.filter((s) => s.error).length + (result.ok ? 0 : 1),
        error: result.error,
        peakRssBytes: peak,
        profile: { checkpointWrites: c.writes, checkpointMs: c.totalMs, checkpointMaxMs: c.maxMs, checkpointBytes: c.lastBytes, callStarts },
      };
    },
    close: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export async function realEngine(project: string, env: NodeJS.ProcessEnv): Promise<BenchEngine> {
  const stack = await CliStack.create(project, { stack: "bench", env });
  const configured: Record<string, string> = {};
  return {
    name: "real",
    async run(operation, config, parallel) {
      for (const [k, v] of Object.entries(config)) {
        if (configured[k] !== v) await stack.configSet(k, v);
        configured[k] = v;
      }
      let pid: number | undefined;
      const [result, peak] = await sampled(() => pid, stack.run(operation, { eventLog: false, args: parallel === undefined ? [] : ["--parallel", String(parallel)], onSpawn: (child) => (pid = child.pid) }));
      const failed = result.ok ? 0 : 1;
      return { ok: result.ok, failures: failed, ...(result.ok ? {} : { error: (result.stdout + result.stderr).split("\n").filter((l) => /error/i.test(l)).slice(0, 3).join(" | ") }), peakRssBytes: peak };
    },
    close: () => stack.remove(),
  };
}
