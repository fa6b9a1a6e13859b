// The examples, run as `pulumi` would run them: the local engine executes each program under setMocks and
// drives the real dynamic-provider host, against the ECS emulator. Assertions are on what a user sees:
// emulator state, the state file, the preview text.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FLEET, startEmulator, type Emulator } from "./emulator";
import { runEngine, type EngineOperation } from "./engine";

const ROOT = path.resolve(__dirname, "..");
const example = (name: string) => path.join(ROOT, "examples", name);
const DEMO_IDS = ["i-bp1demo000000000001", "i-bp1demo000000000002", "i-bp1demo000000000003"];

let emulator: Emulator;
let tmp: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startEmulator({ fleet: DEMO_FLEET, quiet: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "engine-examples-"));
  env = {
    ...process.env,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
    ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url,
    ALIBABA_CLOUD_EMR_ENDPOINT: emulator.url,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
  };
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const writes = () => emulator.calls().filter((c) => c.action.startsWith("Modify") || c.action === "RenewInstance");
const settings = (id: string) => {
  const i = emulator.instance(id)!;
  return i.renewalStatus === "AutoRenewal" ? `AutoRenewal ${i.duration} ${i.periodUnit}` : i.renewalStatus;
};

describe("examples/auto-renew-existing", () => {
  // Each test starts from the demo fleet with a stack of its own, and brings it to where its story starts.
  let stacks = 0;
  function freshStack() {
    emulator.reset(DEMO_FLEET);
    const stateFile = path.join(tmp, `auto-renew-existing-${++stacks}.json`);
    const run = (op: EngineOperation, config: Record<string, string> = {}) => runEngine(op, { cwd: example("auto-renew-existing"), stack: "dev", stateFile, config, env });
    const up = async (config: Record<string, string> = {}) => {
      const result = await run("up", config);
      expect(result.ok, result.error).toBe(true);
      return result;
    };
    return { stateFile, run, up };
  }
  const run = (op: EngineOperation, config: Record<string, string> = {}) => freshStack().run(op, config);

  it("preview plans three creates and writes nothing", async () => {
    const { run, stateFile } = freshStack();
    const before = DEMO_IDS.map(settings);
    const result = await run("preview");
    expect(result.ok).toBe(true);
    expect(result.summary.create).toBe(4); // the stack and three renewals
    expect(result.text).toContain("+  pulumi-nodejs:dynamic/alicloud-renewal:InstanceRenewal  auto-renew-i-bp1demo000000000001  create");
    expect(result.text).toContain('+ renewalStatus: "AutoRenewal"');
    expect(writes()).toEqual([]);
    expect(DEMO_IDS.map(settings)).toEqual(before);
    expect(fs.existsSync(stateFile)).toBe(false);
  });

  it("up turns auto-renew on and records each resource, with the small shim, in the state file", async () => {
    const { up, stateFile } = freshStack();
    const result = await up();
    expect(DEMO_IDS.map(settings)).toEqual(["AutoRenewal 1 Month", "AutoRenewal 1 Month", "AutoRenewal 1 Month"]);
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    const renewals = state.resources.filter((r: { type: string }) => r.type.endsWith(":InstanceRenewal"));
    expect(renewals).toHaveLength(3);
    for (const r of renewals) {
      expect(r.outputs).toMatchObject({ autoRenewEnabled: true, instanceChargeType: "PrePaid" });
      expect(r.inputs.__provider.length).toBeLessThan(2048);
      expect(r.inputs.__provider).not.toContain(ROOT);
    }
    expect((result.outputs as { instances: unknown[] }).instances).toHaveLength(3);
  });

  it("a second up changes nothing and writes nothing", async () => {
    const { up } = freshStack();
    await up();
    emulator.clearCalls();
    const result = await up();
    expect(result.summary).toMatchObject({ create: 0, update: 0, delete: 0, replace: 0 });
    expect(writes()).toEqual([]);
  });

  it("a config change previews as a property diff, then applies", async () => {
    const { run, up } = freshStack();
    await up();
    const preview = await run("preview", { autoRenewDuration: "3" });
    expect(preview.text).toContain("~  pulumi-nodejs:dynamic/alicloud-renewal:InstanceRenewal  auto-renew-i-bp1demo000000000002  update  [diff: ~duration]");
    expect(preview.text).toContain("      ~ duration: 1 => 3");
    expect(preview.text).toMatch(/Resources:\n {4}~ 3 to update\n {4}1 unchanged/);
    await up({ autoRenewDuration: "3" });
    expect(DEMO_IDS.map(settings)).toEqual(["AutoRenewal 3 Month", "AutoRenewal 3 Month", "AutoRenewal 3 Month"]);
  });

  it("refresh records drift made in the console, preview shows it, up puts it back", async () => {
    const { run, up } = freshStack();
    await up({ autoRenewDuration: "3" });
    emulator.putInstance({ instanceId: DEMO_IDS[1], renewalStatus: "Normal", duration: 0 });
    const refresh = await run("refresh", { autoRenewDuration: "3" });
    expect(refresh.steps.find((s) => s.name === `auto-renew-${DEMO_IDS[1]}`)).toMatchObject({ op: "update", diffs: expect.arrayContaining(["renewalStatus", "autoRenewEnabled"]) });
    const preview = await run("preview", { autoRenewDuration: "3" });
    expect(preview.text).toContain('      ~ renewalStatus: "Normal" => "AutoRenewal"');
    expect(preview.summary.update).toBe(1);
    await up({ autoRenewDuration: "3" });
    expect(settings(DEMO_IDS[1])).toBe("AutoRenewal 3 Month");
  });

  it("destroy gives every instance back the settings found before the stack touched it", async () => {
    const { run, up, stateFile } = freshStack();
    await up();
    await up({ autoRenewDuration: "3" });
    const result = await run("destroy");
    expect(result.ok).toBe(true);
    expect(DEMO_IDS.map(settings)).toEqual(["Normal", "Normal", "AutoRenewal 12 Month"]);
    expect(JSON.parse(fs.readFileSync(stateFile, "utf8")).resources).toEqual([]);
  });

  it("a failing resource fails the command with the provider's sentence and keeps completed steps", async () => {
    emulator.reset(DEMO_FLEET);
    const file = path.join(tmp, "partial.json");
    const result = await runEngine("up", {
      cwd: example("auto-renew-existing"),
      stack: "dev",
      stateFile: file,
      env,
      config: { instanceIds: JSON.stringify(["i-bp1demo000000000001", "i-bp1demo000000000006"]) },
    });
    expect(result.ok).toBe(false);
    expect(result.text).toContain("i-bp1demo000000000006 is Pay-As-You-Go");
    const kept = JSON.parse(fs.readFileSync(file, "utf8")).resources.map((r: { name: string }) => r.name);
    expect(kept).toContain("auto-renew-i-bp1demo000000000001");
    expect(kept).not.toContain("auto-renew-i-bp1demo000000000006");
    expect(settings("i-bp1demo000000000001")).toBe("AutoRenewal 1 Month");
  });

  it("check failures stop preview with the property, the value and what is allowed", async () => {
    const result = await run("preview", { autoRenewDuration: "5" });
    expect(result.ok).toBe(false);
    expect(result.text).toContain('duration: 5 is not allowed with periodUnit "Month"; use one of 1, 2, 3, 6, 12, 24, 36, 48, 60');
  });
});

describe("examples/with-instance", () => {
  it("creates the subscription instance and its renewal; preview passes with the instance id still unknown", async () => {
    emulator.reset(DEMO_FLEET);
    const stateFile = path.join(tmp, "with-instance.json");
    const run = (op: EngineOperation) => runEngine(op, { cwd: example("with-instance"), stack: "dev", stateFile, env });
    const preview = await run("preview");
    expect(preview.ok, preview.error).toBe(true);
    expect(preview.text).toContain("+ instanceId: output<string>");
    const up = await run("up");
    expect(up.ok, up.error).toBe(true);
    const id = up.outputs!.instanceId as string;
    expect(emulator.instance(id)).toMatchObject({ instanceChargeType: "PrePaid", renewalStatus: "AutoRenewal", duration: 1 });
    expect(up.outputs!.nextAutoRenewDeduction).toMatch(/^\d{4}-/);
    const destroy = await run("destroy");
    expect(destroy.ok, destroy.error).toBe(true);
    // The renewal goes first (it depends on the instance), then the instance itself.
    const order = destroy.steps.filter((s) => s.op === "delete").map((s) => s.name);
    expect(order.indexOf("web-renewal")).toBeLessThan(order.indexOf("web"));
    expect(emulator.instance(id)).toBeUndefined();
  });
});

describe("examples/fleet", () => {
  it("declares an InstanceRenewal for every subscription instance the query returns, leaving NotRenewal alone", async () => {
    emulator.reset(DEMO_FLEET);
    const result = await runEngine("up", { cwd: example("fleet"), stack: "dev", stateFile: path.join(tmp, "fleet.json"), env, parallel: 4 });
    expect(result.ok, result.error).toBe(true);
    const prepaid = emulator.instances().filter((i) => i.regionId === "cn-hangzhou" && i.instanceChargeType === "PrePaid");
    const expected = prepaid.filter((i) => i.instanceId !== "i-bp1demo000000000005");
    expect(result.outputs!.managed).toBe(expected.length);
    expect(result.outputs!.leftAlone).toEqual(["i-bp1demo000000000005"]);
    // i-bp1demo000000000004 expires in 5 days: allowed, but warned about.
    for (const i of expected) expect(emulator.instance(i.instanceId)!.renewalStatus).toBe("AutoRenewal");
    expect(emulator.instance("i-bp1demo000000000005")!.renewalStatus).toBe("NotRenewal");
    expect(result.diagnostics.join("\n")).toContain("i-bp1demo000000000004 expires at");
  });
});

describe("examples/manual-renewal", () => {
  it("preview shows the instance, intent, current and expected expiry and price, and orders nothing", async () => {
    emulator.reset(DEMO_FLEET);
    const stateFile = path.join(tmp, "manual-preview.json");
    const preview = await runEngine("preview", { cwd: example("manual-renewal"), stack: "dev", stateFile, env });
    expect(preview.ok, preview.error).toBe(true);
    expect(preview.text).toContain('+ instanceId: "i-bp1demo000000000004"');
    expect(preview.text).toMatch(/\+ quote: \{"currency":"CNY","currentExpiredTime":"[^"]+","expectedExpiredTime":"[^"]+","intent":"renew by 1 Month","price":95\}/);
    expect(emulator.calls().filter((c) => c.action === "RenewInstance")).toEqual([]);
    expect(emulator.ledger()).toEqual([]);
  });

  it("up charges once; re-running up charges nothing and shows no diff", async () => {
    emulator.reset(DEMO_FLEET);
    const stateFile = path.join(tmp, "manual-up.json");
    const run = (op: EngineOperation) => runEngine(op, { cwd: example("manual-renewal"), stack: "dev", stateFile, env });
    const up = await run("up");
    expect(up.ok, up.error).toBe(true);
    expect(emulator.ledger()).toEqual([expect.objectContaining({ instanceId: "i-bp1demo000000000004", kind: "renew", period: 1, amount: 95 })]);
    expect(up.outputs!.urgentOrder).toMatchObject({ skipped: false, price: 95, orderId: emulator.ledger()[0].orderId });
    const again = await run("up");
    expect(again.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    const preview = await run("preview");
    expect(preview.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(emulator.ledger()).toHaveLength(1);
    const destroy = await run("destroy");
    expect(destroy.ok).toBe(true);
    expect(destroy.diagnostics.join("\n")).toContain("nothing is charged and nothing is refunded");
    expect(emulator.ledger()).toHaveLength(1);
  });
});

describe("examples/emr-cluster", () => {
  it("puts the EMR fee and every node of the cluster on one duration and aligns the nodes' expiry day, once; destroy puts back what it found", async () => {
    emulator.reset(DEMO_FLEET);
    const nodes = ["i-bp1emr0000000000001", "i-bp1emr0000000000002", "i-bp1emr0000000000003"];
    const stateFile = path.join(tmp, "emr.json");
    const run = (op: EngineOperation) => runEngine(op, { cwd: example("emr-cluster"), stack: "dev", stateFile, env });
    const up = await run("up");
    expect(up.ok, up.error).toBe(true);
    for (const id of nodes) {
      expect(settings(id)).toBe("AutoRenewal 1 Month");
      expect(new Date(Date.parse(emulator.instance(id)!.expiredTime) + 8 * 3_600_000).getUTCDate()).toBe(15);
    }
    expect(emulator.ledger().filter((c) => c.kind === "renew").map((c) => c.instanceId).sort()).toEqual(nodes);
    expect(settings("i-bp1demo000000000001")).toBe("Normal"); // not in the cluster
    const fee = emulator.family("c-demo00000001")!;
    expect(`${fee.renewalStatus} ${fee.duration} ${fee.periodUnit}`).toBe("AutoRenewal 1 Month");
    expect(up.outputs).toMatchObject({ clusterId: "c-demo00000001", fee: { expiredTime: fee.expiredTime, renewalStatus: "AutoRenewal", duration: 1 } });
    expect(emulator.calls().filter((c) => c.action === "UpdateClusterAutoRenew")).toHaveLength(1);
    const again = await run("up");
    expect(again.ok, again.error).toBe(true);
    expect(again.summary).toMatchObject({ create: 0, update: 0, delete: 0, replace: 0 });
    expect(emulator.ledger().filter((c) => c.kind === "renew")).toHaveLength(3);
    const destroy = await run("destroy");
    expect(destroy.ok, destroy.error).toBe(true);
    expect(emulator.family("c-demo00000001")!.renewalStatus).toBe("Normal");
    expect(settings(nodes[0])).toBe("Normal");
    expect(emulator.ledger().filter((c) => c.kind === "renew")).toHaveLength(3);
  });
});
