// A stack written by release 0.1.0 (test/fixtures/state-v0.1.0/state.json, kept as that release wrote it)
// refreshes, updates and destroys with the package as built now: its serialized providers name only the
// package and their controller kind, and those kinds keep their names and state format.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "./emulator";
import { runEngine, type EngineOperation } from "./engine";

const PROJECT = path.join(__dirname, "fixtures", "state-v0.1.0");
const WEB = "i-bp1upgrade00000001";
const BATCH = "i-bp1upgrade00000002";

let emulator: Emulator;
let tmp: string;
let env: NodeJS.ProcessEnv;
let stacks = 0;

beforeAll(async () => {
  emulator = await startEmulator({ fleet: path.join(PROJECT, "after-up.json"), quiet: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "upgrade-state-"));
  env = {
    ...process.env,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
    ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
  };
});
afterAll(async () => {
  await emulator.idle();
  await emulator.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The 0.1.0 state in a file of its own, against the account as that release's up left it. */
function oldStack() {
  emulator.reset(path.join(PROJECT, "after-up.json"));
  const stateFile = path.join(tmp, `state-${++stacks}.json`);
  fs.copyFileSync(path.join(PROJECT, "state.json"), stateFile);
  const run = (op: EngineOperation, config: Record<string, string> = {}) =>
    runEngine(op, { cwd: PROJECT, stack: "dev", stateFile, config: { "alicloud:region": "cn-hangzhou", ...config }, env });
  const resource = (type: string) => {
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { resources: Array<{ type: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }> };
    return state.resources.find((r) => r.type.endsWith(`:${type}`));
  };
  return { stateFile, run, resource };
}

const writes = () => emulator.calls().filter((c) => /^(Modify|Renew)/.test(c.action));

describe("a stack written by release 0.1.0", () => {
  it("the fixture is the old release's: every serialized provider names a controller kind that still exists", () => {
    const state = JSON.parse(fs.readFileSync(path.join(PROJECT, "state.json"), "utf8")) as { resources: Array<{ inputs: { __provider?: string } }> };
    const kinds = state.resources.flatMap((r) => (r.inputs.__provider ? [/controller\("(\w+)"\)/.exec(r.inputs.__provider)![1]] : []));
    expect([...new Set(kinds)].sort()).toEqual(["InstanceRenewal", "RenewalOrder", "RenewalPlan"]);
  });

  it("refreshes: every resource stays, its inputs as recorded, and nothing is written or charged", async () => {
    const { run, resource } = oldStack();
    const before = resource("InstanceRenewal")!.inputs;
    const refresh = await run("refresh");
    expect(refresh.ok, refresh.error).toBe(true);
    expect(refresh.summary).toMatchObject({ delete: 0 });
    expect(resource("InstanceRenewal")!.inputs).toEqual(before);
    expect(resource("InstanceRenewal")!.outputs).toMatchObject({ instanceId: WEB, renewalStatus: "AutoRenewal", autoRenewEnabled: true, previous: { renewalStatus: "Normal" } });
    expect(resource("RenewalOrder")!.outputs).toMatchObject({ instanceId: BATCH, orderId: "2000000000001", confirmed: true, expiredTime: "2031-03-01T16:00Z" });
    expect(writes()).toEqual([]);
    expect(emulator.ledger()).toEqual([]);
  });

  it("an unchanged program previews no change, and a changed duration updates only its InstanceRenewal", async () => {
    const { run, resource } = oldStack();
    const preview = await run("preview");
    expect(preview.ok, preview.error).toBe(true);
    expect(preview.summary).toMatchObject({ create: 0, update: 0, delete: 0, replace: 0 });
    const up = await run("up", { "state-v0-1-0:duration": "3" });
    expect(up.ok, up.error).toBe(true);
    expect(up.summary).toMatchObject({ create: 0, update: 1, delete: 0, replace: 0 });
    expect(emulator.instance(WEB)).toMatchObject({ renewalStatus: "AutoRenewal", duration: 3 });
    expect(resource("InstanceRenewal")!.outputs).toMatchObject({ duration: 3, previous: { renewalStatus: "Normal" } });
    expect(writes().map((c) => c.action)).toEqual(["ModifyInstanceAutoRenewAttribute"]);
    expect(emulator.ledger()).toEqual([]);
  });

  it("destroys: the InstanceRenewal puts back the settings 0.1.0 found, the renewal record goes without a charge", async () => {
    const { run, stateFile } = oldStack();
    const destroy = await run("destroy");
    expect(destroy.ok, destroy.error).toBe(true);
    expect(destroy.summary).toMatchObject({ delete: 5 });
    expect(emulator.instance(WEB)).toMatchObject({ renewalStatus: "Normal" });
    expect(emulator.instance(BATCH)!.expiredTime).toBe("2031-03-01T16:00Z");
    expect(emulator.ledger()).toEqual([]);
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { resources: unknown[] };
    expect(state.resources).toEqual([]);
  });
});
