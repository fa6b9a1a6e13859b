// One scenario, run twice: under the real CLI and under the local engine, each against an emulator of its own
// started from the same fleet at the same emulated time, so both see the same cloud. Each operation leaves a
// transcript (the steps with their op and property diffs, and the stack's outputs) for the parity check.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEMO_FLEET, startEmulator, type Emulator, type FleetFile } from "../emulator";
import { runEngine, type EngineOperation, type EngineResult, type Step } from "../engine";
import { CliStack, type CliRun } from "./stack";

export type ScenarioStep =
  | { op: EngineOperation; label: string; args?: string[] }
  | { config: Record<string, string> }
  /** A change made behind the stack's back, in the emulator. */
  | { drift: (emulator: Emulator) => void };

export interface Transcript {
  label: string;
  ok: boolean;
  /** `op name [diffs]` per step that does something, in URN order. */
  steps: string[];
  outputs?: Record<string, unknown>;
}

export interface EngineSide<R> {
  emulator: Emulator;
  runs: Array<{ label: string; run: R }>;
  transcripts: Transcript[];
}

export const EMULATOR_KEYS = { ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret" };

export function emulatorEnv(emulator: Emulator): NodeJS.ProcessEnv {
  return { ...process.env, ...EMULATOR_KEYS, ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" };
}

/** Ids the alicloud double generates differ between runs; the transcript names them by order of appearance. */
function normalizer(): (v: unknown) => unknown {
  const seen = new Map<string, string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return v.replace(/i-pulumi[0-9a-z]+/g, (id) => seen.get(id) ?? (seen.set(id, `<instance ${seen.size + 1}>`), seen.get(id)!));
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk;
}

function transcript(label: string, ok: boolean, steps: Step[], outputs: Record<string, unknown> | undefined, normalize: (v: unknown) => unknown): Transcript {
  const lines = steps
    .filter((s) => s.op !== "same" || s.diffs.length)
    .map((s) => `${s.refresh ? "refresh: " : ""}${s.op} ${s.name}${s.diffs.length ? ` [${s.diffs.join(",")}]` : ""}`)
    .sort();
  return { label, ok, steps: lines, ...(outputs ? { outputs: normalize(outputs) as Record<string, unknown> } : {}) };
}

export interface ScenarioOptions {
  /** The project folder (an example, or the repository root for the demo). */
  project: string;
  stack?: string;
  fleet?: string | FleetFile;
  /** The emulated time both emulators start at. */
  now: string;
  steps: ScenarioStep[];
}

export async function runUnderCli(options: ScenarioOptions): Promise<EngineSide<CliRun> & { stack: CliStack }> {
  const emulator = await startEmulator({ fleet: options.fleet ?? DEMO_FLEET, now: options.now, quiet: true });
  const stack = await CliStack.create(options.project, { stack: options.stack, env: emulatorEnv(emulator) });
  const side = { emulator, stack, runs: [] as Array<{ label: string; run: CliRun }>, transcripts: [] as Transcript[] };
  const normalize = normalizer();
  for (const step of options.steps) {
    if ("config" in step) for (const [k, v] of Object.entries(step.config)) await stack.configSet(k, v);
    else if ("drift" in step) step.drift(emulator);
    else {
      const run = await stack.run(step.op, { args: step.args });
      side.runs.push({ label: step.label, run });
      side.transcripts.push(transcript(step.label, run.ok, run.steps, run.outputs, normalize));
    }
  }
  return side;
}

/** The CLI flags a scenario uses, as local engine options. */
function engineFlags(args: string[] = []): { targets?: string[]; refresh?: boolean } {
  const targets = args.flatMap((a, i) => (a === "--target" ? [args[i + 1]] : []));
  return { ...(targets.length ? { targets } : {}), ...(args.includes("--refresh") ? { refresh: true } : {}) };
}

export async function runUnderLocalEngine(options: ScenarioOptions): Promise<EngineSide<EngineResult>> {
  const emulator = await startEmulator({ fleet: options.fleet ?? DEMO_FLEET, now: options.now, quiet: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parity-"));
  const side = { emulator, runs: [] as Array<{ label: string; run: EngineResult }>, transcripts: [] as Transcript[] };
  const normalize = normalizer();
  const config: Record<string, string> = {};
  try {
    for (const step of options.steps) {
      if ("config" in step) Object.assign(config, step.config);
      else if ("drift" in step) step.drift(emulator);
      else {
        const run = await runEngine(step.op, {
          cwd: options.project,
          stack: options.stack ?? "dev",
          stateFile: path.join(dir, "state.json"),
          config: { ...config },
          env: emulatorEnv(emulator),
          ...engineFlags(step.args),
        });
        side.runs.push({ label: step.label, run });
        side.transcripts.push(transcript(step.label, run.ok, run.steps, step.op === "preview" ? undefined : (run.outputs ?? {}), normalize));
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return side;
}

/** The usual life of a stack: preview, up, a config change, drift, refresh, up, a re-run, destroy. */
export function lifecycle(change: Record<string, string>, drift: (emulator: Emulator) => void): ScenarioStep[] {
  return [
    { op: "preview", label: "preview" },
    { op: "up", label: "up" },
    { config: change },
    { op: "preview", label: "preview of the config change" },
    { op: "up", label: "up with the config change" },
    { drift },
    { op: "refresh", label: "refresh after drift" },
    { op: "up", label: "up after refresh" },
    { op: "up", label: "up again (no change)" },
    { op: "destroy", label: "destroy" },
  ];
}
