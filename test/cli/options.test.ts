// Resource options and CLI flags under the real CLI: `up --target`, a rename with `aliases` (InstanceRenewal and
// the ManualRenewal component with its children), `protect`, `up --refresh`, `retainOnDelete`; then the same
// scenario through the local engine, step for step.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../emulator";
import { runUnderCli, runUnderLocalEngine, settingsOf, writes, type EngineSide, type ScenarioOptions } from "./scenario";
import type { CliRun, CliStack } from "./stack";

const PROJECT = path.join(__dirname, "fixtures", "renewals");
const RENEWAL = "pulumi-nodejs:dynamic/alicloud-renewal:InstanceRenewal";
const urn = (name: string) => `urn:pulumi:dev::renewals::${RENEWAL}::${name}`;
const [I1, I2, I3, I4] = ["i-bp1demo000000000001", "i-bp1demo000000000002", "i-bp1demo000000000003", "i-bp1demo000000000004"];
const json = (v: unknown) => JSON.stringify(v);

const scenario: ScenarioOptions = {
  project: PROJECT,
  now: new Date().toISOString(),
  steps: [
    { config: { renewals: json([{ name: "a", instanceId: I1 }, { name: "b", instanceId: I2 }]) } },
    { op: "up", label: "up" },
    { config: { renewals: json([{ name: "a", instanceId: I1, duration: 3 }, { name: "b", instanceId: I2, duration: 3 }, { name: "c", instanceId: I3 }]) } },
    { op: "up", label: "up --target a", args: ["--target", urn("a")] },
    { op: "preview", label: "preview of what --target left out" },
    { config: { renewals: json([{ name: "a2", instanceId: I1, duration: 3, aliases: ["a"] }, { name: "b", instanceId: I2, duration: 3, protect: true }]) } },
    { op: "up", label: "up: a renamed to a2 with an alias, b protected, c dropped" },
    { config: { renewals: json([{ name: "a2", instanceId: I1, duration: 3, aliases: ["a"] }]) } },
    { op: "up", label: "up dropping the protected b" },
    { config: { renewals: json([{ name: "a2", instanceId: I1, duration: 3, aliases: ["a"] }, { name: "b", instanceId: I2, duration: 3 }]) } },
    { op: "up", label: "up: b unprotected" },
    { drift: (e: Emulator) => e.putInstance({ instanceId: I1, renewalStatus: "Normal", duration: 0 }) },
    { op: "up", label: "up --refresh after drift", args: ["--refresh"] },
    { config: { renewals: json([{ name: "a2", instanceId: I1, duration: 3, aliases: ["a"], retainOnDelete: true }, { name: "b", instanceId: I2, duration: 3 }]), orders: json([{ name: "o", instanceId: I4 }]) } },
    { op: "up", label: "up: a2 retained on delete, an order" },
    { config: { orders: json([{ name: "o2", instanceId: I4, aliases: ["o"] }]) } },
    { op: "up", label: "up: the order renamed with an alias" },
    { op: "destroy", label: "destroy" },
  ],
};

let cli: EngineSide<CliRun> & { stack: CliStack };
let local: EngineSide<unknown>;
const run = (label: string) => cli.at(label).run;

beforeAll(async () => {
  cli = await runUnderCli(scenario);
  local = await runUnderLocalEngine(scenario);
});
afterAll(async () => {
  await Promise.all([cli?.emulator.close(), local?.emulator.close()]);
  cli?.stack.remove();
});

describe("resource options under the real CLI", () => {
  it("up --target changes only the target: b keeps its old settings and c is not created", () => {
    const r = run("up --target a");
    expect(r.ok, r.stdout + r.stderr).toBe(true);
    expect(r.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`)).toEqual(["update a"]);
    const { instances } = cli.at("up --target a");
    expect([I1, I2, I3].map((id) => settingsOf(instances, id))).toEqual(["AutoRenewal 3 Month", "AutoRenewal 1 Month", "AutoRenewal 12 Month"]);
    expect(run("preview of what --target left out").steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`).sort()).toEqual(["create c", "update b"]);
  });

  it("a rename with aliases is no change: no delete, no create, no call", () => {
    const r = run("up: a renamed to a2 with an alias, b protected, c dropped");
    expect(r.ok, r.stdout + r.stderr).toBe(true);
    expect(r.steps.find((s) => s.name === "a2")).toMatchObject({ op: "same", diffs: [] });
    expect(r.steps.some((s) => s.name === "a")).toBe(false);
    expect(r.stdout).toContain("[diff: ~duration,protect]");
    expect(writes(cli.at("up: a renamed to a2 with an alias, b protected, c dropped").calls).map((c) => c.instanceIds)).toEqual([[I2]]);
  });

  it("protect refuses the delete with Pulumi's sentence, and the instance keeps its settings", () => {
    const r = run("up dropping the protected b");
    expect(r.ok).toBe(false);
    expect(r.stdout).toContain(`resource "${urn("b")}" cannot be deleted`);
    expect(r.stdout).toContain("because it is protected");
    expect(settingsOf(cli.at("up dropping the protected b").instances, I2)).toBe("AutoRenewal 3 Month");
  });

  it("up --refresh reads the drift first, then puts it back in the same run", () => {
    const r = run("up --refresh after drift");
    expect(r.ok, r.stdout + r.stderr).toBe(true);
    expect(r.steps.find((s) => s.refresh && s.name === "a2")).toMatchObject({ op: "update", diffs: expect.arrayContaining(["renewalStatus"]) });
    expect(r.steps.find((s) => !s.refresh && s.name === "a2")).toMatchObject({ op: "update", diffs: ["renewalStatus"] });
  });

  it("the ManualRenewal renamed with an alias keeps its order: its children follow, nothing is charged again", () => {
    const r = run("up: the order renamed with an alias");
    expect(r.ok, r.stdout + r.stderr).toBe(true);
    expect(r.steps.filter((s) => s.name.startsWith("o2")).map((s) => `${s.op} ${s.name}`).sort()).toEqual(["same o2", "same o2-order", "same o2-plan"]);
    expect(cli.at("up: the order renamed with an alias").ledger).toHaveLength(1);
    expect(writes(cli.at("up: the order renamed with an alias").calls)).toEqual([]);
  });

  it("destroy leaves the retained resource's instance as it was and restores the others", () => {
    const { run: destroy, instances, ledger } = cli.at("destroy");
    expect(destroy.ok).toBe(true);
    expect(settingsOf(instances, I1)).toBe("AutoRenewal 3 Month"); // retainOnDelete
    expect(settingsOf(instances, I2)).toBe("Normal"); // restored
    expect(settingsOf(instances, I3)).toBe("AutoRenewal 12 Month"); // never created (--target), never touched
    expect(ledger).toHaveLength(1);
  });

  it("the local engine takes the same steps, with the same diffs and outputs", () => {
    expect(local.transcripts).toEqual(cli.transcripts);
  });
});
