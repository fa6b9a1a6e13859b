// One scenario, run twice: under the real CLI and under the local engine, each against an emulator of its own
// started from the same fleet at the same emulated time, so both see the same cloud. Each operation leaves a
// transcript (the steps with their op and property diffs, and the stack's outputs) for the parity check.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEMO_FLEET, startEmulator, type CallRecord, type Charge, type Emulator, type FleetFile, type InstanceRecord } from "../emulator";
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

/** One operation of a scenario and the cloud right after it: the calls it made, the instances, the ledger. */
export interface Recorded<R> {
  label: string;
  run: R;
  calls: CallRecord[];
  instances: InstanceRecord[];
  ledger: Charge[];
}

export interface EngineSide<R> {
  emulator: Emulator;
  runs: Array<Recorded<R>>;
  transcripts: Transcript[];
  /** The run of the step with this label. */
  at(label: string): Recorded<R>;
}

function side<R>(emulator: Emulator): EngineSide<R> {
  const runs: Array<Recorded<R>> = [];
  return {
    emulator,
    runs,
    transcripts: [],
    at(label) {
      const r = runs.find((x) => x.label === label);
      if (!r) throw new Error(`no step "${label}" in the scenario`);
      return r;
    },
  };
}

/** Runs one operation with the emulator's call log cleared first, and records what it left. */
async function record<R>(s: EngineSide<R>, label: string, run: () => Promise<R>): Promise<R> {
  s.emulator.clearCalls();
  const result = await run();
  s.runs.push({ label, run: result, calls: s.emulator.calls(), instances: s.emulator.instances(), ledger: s.emulator.ledger() });
  return result;
}

/** An instance's auto-renew settings as a reviewer says them: "AutoRenewal 3 Month", "Normal". */
export function settingsOf(instances: InstanceRecord[], id: string): string {
  const i = instances.find((x) => x.instanceId === id);
  if (!i) return "gone";
  return i.renewalStatus === "AutoRenewal" ? `AutoRenewal ${i.duration} ${i.periodUnit}` : i.renewalStatus;
}

/** Calls that change the cloud: auto-renew writes and renewals. */
export const writes = (calls: CallRecord[]) => calls.filter((c) => c.action.startsWith("Modify") || c.action === "RenewInstance");

export const EMULATOR_KEYS = { ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret" };

export function emulatorEnv(emulator: Pick<Emulator, "url">): NodeJS.ProcessEnv {
  // One emulator answers every product the examples call (ECS, EMR, BSS), each under its own API version.
  return {
    ...process.env,
    ...EMULATOR_KEYS,
    ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url,
    ALIBABA_CLOUD_EMR_ENDPOINT: emulator.url,
    ALIBABA_CLOUD_BSS_ENDPOINT: emulator.url,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
  };
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

/**
 * The emulated time of a step, the same on both sides although they run minutes apart: `now` (to the minute)
 * plus a minute per step. What a step computes from the time (a new instance's expiry, a drift's) then
 * agrees to the minute as long as it happens within the step's first minute.
 */
function atStep(emulator: Emulator, options: ScenarioOptions, index: number): Emulator {
  emulator.clock.set(Math.floor(Date.parse(options.now) / 60_000) * 60_000 + index * 60_000);
  return emulator;
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
  const stack = await CliStack.create(options.project, { stack: options.stack, env: emulatorEnv(emulator) }).catch(async (error) => {
    await emulator.close();
    throw error;
  });
  const cli = Object.assign(side<CliRun>(emulator), { stack });
  const normalize = normalizer();
  try {
    for (const [index, step] of options.steps.entries()) {
      if ("config" in step) for (const [k, v] of Object.entries(step.config)) await stack.configSet(k, v);
      else if ("drift" in step) step.drift(atStep(emulator, options, index));
      else {
        atStep(emulator, options, index);
        const run = await record(cli, step.label, () => stack.run(step.op, { args: step.args }));
        cli.transcripts.push(transcript(step.label, run.ok, run.steps, run.outputs, normalize));
      }
    }
  } catch (error) {
    await emulator.close();
    stack.remove();
    throw error;
  }
  return cli;
}

/** The CLI flags a scenario uses, as local engine options. */
function engineFlags(args: string[] = []): { targets?: string[]; refresh?: boolean } {
  const targets = args.flatMap((a, i) => (a === "--target" ? [args[i + 1]] : []));
  return { ...(targets.length ? { targets } : {}), ...(args.includes("--refresh") ? { refresh: true } : {}) };
}

export async function runUnderLocalEngine(options: ScenarioOptions): Promise<EngineSide<EngineResult>> {
  const emulator = await startEmulator({ fleet: options.fleet ?? DEMO_FLEET, now: options.now, quiet: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parity-"));
  const local = side<EngineResult>(emulator);
  const normalize = normalizer();
  const config: Record<string, string> = {};
  try {
    for (const [index, step] of options.steps.entries()) {
      if ("config" in step) Object.assign(config, step.config);
      else if ("drift" in step) step.drift(atStep(emulator, options, index));
      else {
        atStep(emulator, options, index);
        const run = await record(local, step.label, () => runEngine(step.op, {
          cwd: options.project,
          stack: options.stack ?? "dev",
          stateFile: path.join(dir, "state.json"),
          config: { ...config },
          env: emulatorEnv(emulator),
          ...engineFlags(step.args),
        }));
        local.transcripts.push(transcript(step.label, run.ok, run.steps, step.op === "preview" ? undefined : (run.outputs ?? {}), normalize));
      }
    }
  } catch (error) {
    await emulator.close();
    throw error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return local;
}

/** The usual life of a stack: preview, up, a config change, drift, refresh, up, a re-run, destroy. */
export function lifecycle(change: Record<string, string>, drift: (emulator: Emulator) => void, previewArgs: string[] = []): ScenarioStep[] {
  return [
    { op: "preview", label: "preview" },
    { op: "up", label: "up" },
    { config: change },
    { op: "preview", label: "preview of the config change", args: previewArgs },
    { op: "up", label: "up with the config change" },
    { drift },
    { op: "refresh", label: "refresh after drift" },
    { op: "up", label: "up after refresh" },
    { op: "up", label: "up again (no change)" },
    { op: "destroy", label: "destroy" },
  ];
}
