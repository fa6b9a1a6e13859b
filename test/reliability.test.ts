// The README's promises as measured figures: secrets never leak, bad input fails at check, faults and
// crashes converge without double charges, old state keeps working, the RAM policy covers every call,
// and 1000 resources survive a rate limit with random 5xx.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type FaultRule, type FleetFile } from "./emulator";
import { EMR_ACTIONS as EMR_ACTION_TABLE } from "./emulator/emr";
import { runEngine, UNBOUNDED, type EngineOperation } from "./engine";
import { startProviderHost } from "./engine/host";
import { benchFleet } from "./bench/fleet";
import { INSTANCE_RENEWAL_BAD_INPUTS, MANUAL_RENEWAL_BAD_INPUTS } from "./support/bad-inputs";
import { captureRegistrations } from "./support/serialized-provider";
import { InstanceRenewal, ManualRenewal } from "pulumi-alicloud-renewal";

const ROOT = path.resolve(__dirname, "..");
const ACCESS_KEY = "LTAIscanAccessKey01";
const SECRET = "S3cr3t-scan-9f8e7d6c5b4a";
const FLEET: FleetFile = {
  balance: 100_000,
  unifiedExpiryDay: 15,
  instances: [
    { instanceId: "i-bp1demo000000000001", expiresInDays: 40 },
    { instanceId: "i-bp1demo000000000002", expiresInDays: 75 },
    { instanceId: "i-bp1demo000000000003", expiresInDays: 200, renewalStatus: "AutoRenewal", duration: 12, periodUnit: "Month" },
    { instanceId: "i-bp1demo000000000004", expiresInDays: 5, monthlyPrice: 95 },
    // examples/emr-cluster's cluster and its node.
    { instanceId: "i-bp1emr0000000000001", expiresInDays: 12, tags: { "acs:emr:clusterId": "c-demo00000001" } },
  ],
  emrClusters: [{ clusterId: "c-demo00000001", expiresInDays: 26, nodes: ["i-bp1emr0000000000001"] }],
};

let emulator: Emulator;
let tmp: string;
const allCalls: string[] = [];
const EMR_ACTIONS = Object.keys(EMR_ACTION_TABLE);

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true, keys: [{ accessKeyId: ACCESS_KEY, accessKeySecret: SECRET }], expiryVisibilityDelayMs: 50 });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "reliability-"));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const baseEnv = () => ({ ...process.env, ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url, ALIBABA_CLOUD_EMR_ENDPOINT: emulator.url, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true", ALICLOUD_RENEWAL_RETRY_BASE_MS: "20" });
const recordCalls = () => allCalls.push(...emulator.calls().map((c) => c.action));

describe("secrets", () => {
  it("appear nowhere: state file, engine output, diagnostics, host output, error text (config and env credentials)", async () => {
    emulator.reset(FLEET);
    const runs: Array<{ text: string; stderr: string; diagnostics: string[]; error?: string }> = [];
    const files: string[] = [];
    const ways: Array<[string, NodeJS.ProcessEnv, Record<string, string>]> = [
      ["stack config", baseEnv(), { "alicloud:accessKey": ACCESS_KEY, "alicloud:secretKey": SECRET }],
      ["environment", { ...baseEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET }, {}],
    ];
    for (const [way, env, config] of ways) {
      // The three examples touch disjoint instances of the fleet, so their stacks run side by side.
      await Promise.all(["auto-renew-existing", "manual-renewal", "emr-cluster"].map(async (name) => {
        const stateFile = path.join(tmp, `secrets-${name}-${way.replace(" ", "-")}.json`);
        files.push(stateFile);
        for (const op of ["preview", "up", "refresh", "destroy"] as EngineOperation[]) {
          const result = await runEngine(op, { cwd: path.join(ROOT, "examples", name), stack: "dev", stateFile, env, config });
          expect(result.ok, `${way} ${name} ${op}: ${result.error}`).toBe(true);
          runs.push(result);
        }
      }));
    }
    // A failing run too: the error text must not carry the secret either.
    const wrong = await runEngine("up", { cwd: path.join(ROOT, "examples", "auto-renew-existing"), stack: "dev", stateFile: path.join(tmp, "wrong.json"), env: baseEnv(), config: { "alicloud:accessKey": ACCESS_KEY, "alicloud:secretKey": `${SECRET}-wrong` } });
    expect(wrong.ok).toBe(false);
    expect(wrong.text).toContain("SignatureDoesNotMatch");
    runs.push(wrong);
    recordCalls();
    let hits = 0;
    for (const r of runs) for (const text of [r.text, r.stderr, r.diagnostics.join("\n"), r.error ?? ""]) if (text.includes(SECRET)) hits++;
    for (const f of files) if (fs.existsSync(f) && fs.readFileSync(f, "utf8").includes(SECRET)) hits++;
    console.log(`secrets scan: ${runs.length} engine runs, ${files.length} state files, secret found ${hits} times`);
    expect(hits).toBe(0);
  }, 180_000); // 17 engine runs
});

describe("bad input", () => {

  it(`${INSTANCE_RENEWAL_BAD_INPUTS.length + MANUAL_RENEWAL_BAD_INPUTS.length} bad inputs across both resources fail at check, through the real host, naming property, value and what is allowed`, async () => {
    const host = await startProviderHost({ cwd: ROOT, env: baseEnv() });
    try {
      await host.configure({ "alicloud:region": "cn-hangzhou" });
      // The shims exactly as programs store them.
      const regs = await captureRegistrations(() => {
        new InstanceRenewal("a", { instanceId: "i-bp1demo000000000001" });
        new ManualRenewal("b", { instanceId: "i-bp1demo000000000001" });
      }, (seen) => seen.some((x) => x.type.endsWith(":RenewalOrder")));
      const renewalShim = regs.find((x) => x.type.endsWith(":InstanceRenewal"))!.inputs.__provider;
      const orderShim = regs.find((x) => x.type.endsWith(":RenewalOrder"))!.inputs.__provider;
      let rejected = 0;
      const cases = [
        ...INSTANCE_RENEWAL_BAD_INPUTS.map(([n, inputs, p, w]) => [n, { ...inputs, __provider: renewalShim }, p, w] as const),
        ...MANUAL_RENEWAL_BAD_INPUTS.map(([n, inputs, p, w]) => [n, { instanceId: "i-bp1demo000000000001", scope: "p/s/n", ...inputs, __provider: orderShim }, p, w] as const),
      ];
      const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
      for (const [name, inputs, property, words] of cases) {
        const { failures } = await host.check("urn:pulumi:s::p::t::n", {}, inputs as Record<string, unknown>);
        const f = failures.find((x) => x.property === property);
        expect(f, `${name}: ${JSON.stringify(failures)}`).toBeDefined();
        for (const w of words) expect(f!.reason, name).toContain(w);
        expect(readme, `README catalogue row for "${name}"`).toContain(`| ${name} |`);
        rejected++;
      }
      console.log(`bad inputs: ${cases.length} tried, ${rejected} rejected at check`);
      expect(rejected).toBeGreaterThanOrEqual(40);
    } finally {
      await host.kill();
    }
  });
});

describe("faults on every operation converge", () => {
  const project = path.join(ROOT, "examples", "auto-renew-existing");
  const ids = ["i-bp1demo000000000001", "i-bp1demo000000000002", "i-bp1demo000000000003"];
  const matches = (duration: number) => ids.every((id) => {
    const i = emulator.instance(id)!;
    return i.renewalStatus === "AutoRenewal" && i.duration === duration;
  });

  /** Runs an operation with faults until it succeeds, as a user re-runs a failed `pulumi up`. */
  async function converge(op: EngineOperation, stateFile: string, config: Record<string, string>, rules: FaultRule[], cwd = project): Promise<number> {
    for (const r of rules) emulator.faults.add(r);
    const env = { ...baseEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET };
    try {
      for (let run = 1; run <= 6; run++) {
        const result = await runEngine(op, { cwd, stack: "dev", stateFile, config, env });
        if (result.ok) return run;
      }
      throw new Error(`${op} did not converge`);
    } finally {
      emulator.faults.clear();
      recordCalls();
    }
  }

  const FAULT_SETS: Array<[string, FaultRule[]]> = [
    ["throttling burst", [{ action: "*", kind: "throttle", perSecond: 1, times: 6 }]],
    ["5xx", [{ action: "*", kind: "error", code: "ServiceUnavailable", status: 503, times: 3 }]],
    ["dropped connections", [{ action: "*", kind: "drop", times: 3 }]],
    ["latency spike", [{ action: "*", kind: "latency", ms: 1500, times: 2 }]],
    ["apply-then-fail (500)", [{ action: "ModifyInstanceAutoRenewAttribute", kind: "apply-then-fail", times: 2 }]],
    ["apply-then-fail (drop)", [{ action: "ModifyInstanceAutoRenewAttribute", kind: "apply-then-fail", drop: true, times: 2 }]],
  ];

  it.each(FAULT_SETS)("%s: create, update, refresh and delete of both resources converge, one charge", async (_name, rules) => {
    emulator.reset(FLEET);
    const stateFile = path.join(tmp, `faults-${_name.replace(/\W+/g, "-")}.json`);
    await converge("up", stateFile, { autoRenewDuration: "1" }, rules);
    expect(matches(1)).toBe(true);
    await converge("up", stateFile, { autoRenewDuration: "6" }, rules);
    expect(matches(6)).toBe(true);
    await converge("refresh", stateFile, { autoRenewDuration: "6" }, rules);
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    expect(state.resources.filter((r: { outputs: { duration?: number } }) => r.outputs.duration === 6)).toHaveLength(3);
    await converge("destroy", stateFile, {}, rules);
    expect(ids.map((id) => emulator.instance(id)!.renewalStatus)).toEqual(["Normal", "Normal", "AutoRenewal"]);
    expect(emulator.ledger()).toEqual([]);
    // ManualRenewal under the same faults: create, refresh (read) and delete; exactly one charge.
    const manualState = path.join(tmp, `faults-manual-${_name.replace(/\W+/g, "-")}.json`);
    await converge("up", manualState, {}, rules, path.join(ROOT, "examples", "manual-renewal"));
    await converge("refresh", manualState, {}, rules, path.join(ROOT, "examples", "manual-renewal"));
    await converge("up", manualState, {}, rules, path.join(ROOT, "examples", "manual-renewal"));
    await converge("destroy", manualState, {}, rules, path.join(ROOT, "examples", "manual-renewal"));
    expect(emulator.ledger().filter((c) => c.instanceId === "i-bp1demo000000000004")).toHaveLength(1);
  }, 180_000); // up to six runs for each of eight operations

  it("the provider host killed in the middle of an up: the next up converges", async () => {
    emulator.reset(FLEET);
    const stateFile = path.join(tmp, "killed.json");
    emulator.faults.add({ action: "ModifyInstanceAutoRenewAttribute", kind: "latency", ms: 3000, times: 1 });
    const mark = `kill-mark-${process.pid}-${Date.now()}`;
    const env = { ...baseEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET, RELIABILITY_MARK: mark };
    const pending = runEngine("up", { cwd: project, stack: "dev", stateFile, env });
    // Kill this run's provider host (it inherits the mark) once the slow write is in flight.
    for (let i = 0; i < 100 && !emulator.calls().some((c) => c.action === "ModifyInstanceAutoRenewAttribute"); i++) await new Promise((r) => setTimeout(r, 50));
    const hosts = fs.readdirSync("/proc").filter((pid) => {
      try {
        return /^\d+$/.test(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("cmd/dynamic-provider") && fs.readFileSync(`/proc/${pid}/environ`, "utf8").includes(mark);
      } catch {
        return false;
      }
    });
    expect(hosts).toHaveLength(1);
    process.kill(Number(hosts[0]), "SIGKILL");
    const first = await pending;
    expect(first.ok).toBe(false);
    // The killed host's write is still on its way, as it would be on the real API: let it land first.
    await emulator.idle();
    emulator.faults.clear();
    const second = await runEngine("up", { cwd: project, stack: "dev", stateFile, env });
    expect(second.ok, second.error).toBe(true);
    expect(matches(1)).toBe(true);
    await runEngine("destroy", { cwd: project, stack: "dev", stateFile, env });
    recordCalls();
  });
});

describe("upgrades", () => {
  it("state written with an earlier serialized provider keeps working: refresh, update, destroy", async () => {
    emulator.reset(FLEET);
    const env = { ...baseEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET };
    const project = path.join(ROOT, "examples", "auto-renew-existing");
    const stateFile = path.join(tmp, "upgrade.json");
    expect((await runEngine("up", { cwd: project, stack: "dev", stateFile, env })).ok).toBe(true);
    // An earlier release stored what the SDK's closure serializer makes of a provider object whose
    // methods require the runtime by package name. Put that form back into the state file.
    const { serializeFunction } = require("@pulumi/pulumi/runtime/closure/serializeClosure");
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const older = {
      configure: async (req: any) => require("pulumi-alicloud-renewal/runtime").configure((k: string) => req.config.get(k)),
      check: (o: any, n: any) => require("pulumi-alicloud-renewal/runtime").controller("InstanceRenewal").check(o, n),
      diff: (i: any, o: any, n: any) => require("pulumi-alicloud-renewal/runtime").controller("InstanceRenewal").diff(i, o, n),
      create: (n: any) => require("pulumi-alicloud-renewal/runtime").controller("InstanceRenewal").create(n),
      read: (i: any, p: any) => require("pulumi-alicloud-renewal/runtime").controller("InstanceRenewal").read(i, p),
      update: (i: any, o: any, n: any) => require("pulumi-alicloud-renewal/runtime").controller("InstanceRenewal").update(i, o, n),
      delete: (i: any, p: any) => require("pulumi-alicloud-renewal/runtime").controller("InstanceRenewal").delete(i, p),
    };
    /* eslint-enable @typescript-eslint/no-explicit-any */
    const text: string = (await serializeFunction(() => older, { allowSecrets: false })).text;
    expect(text).not.toContain(ROOT);
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    for (const r of state.resources) {
      if (r.inputs.__provider) r.inputs.__provider = r.outputs.__provider = text;
    }
    fs.writeFileSync(stateFile, JSON.stringify(state));
    emulator.putInstance({ instanceId: "i-bp1demo000000000001", renewalStatus: "Normal", duration: 0 });
    expect((await runEngine("refresh", { cwd: project, stack: "dev", stateFile, env })).ok).toBe(true);
    const up = await runEngine("up", { cwd: project, stack: "dev", stateFile, env, config: { autoRenewDuration: "2" } });
    expect(up.ok, up.error).toBe(true);
    expect(emulator.instance("i-bp1demo000000000001")).toMatchObject({ renewalStatus: "AutoRenewal", duration: 2 });
    // Deletes of resources the program no longer declares still run the stored provider.
    const destroy = await runEngine("destroy", { cwd: project, stack: "dev", stateFile, env });
    expect(destroy.ok, destroy.error).toBe(true);
    expect(emulator.instance("i-bp1demo000000000002")!.renewalStatus).toBe("Normal");
    recordCalls();
  });
});

describe("permissions", () => {
  it("the README's least-privilege policy covers every action the examples call, through their whole life", async () => {
    // Its own runs, so that it proves the same whatever ran before it.
    emulator.reset(FLEET);
    const env = { ...baseEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET };
    // As in the secrets scan: disjoint instances, so the three stacks run side by side.
    await Promise.all(["auto-renew-existing", "manual-renewal", "emr-cluster"].map(async (name) => {
      const stateFile = path.join(tmp, `permissions-${name}.json`);
      for (const [op, config] of [["preview", {}], ["up", {}], ["up", { autoRenewDuration: "3" }], ["refresh", {}], ["destroy", {}]] as Array<[EngineOperation, Record<string, string>]>) {
        const result = await runEngine(op, { cwd: path.join(ROOT, "examples", name), stack: "dev", stateFile, env, config });
        expect(result.ok, `${name} ${op}: ${result.error}`).toBe(true);
      }
    }));
    recordCalls();
    const policy = JSON.parse(fs.readFileSync(path.join(ROOT, "provider", "ram-policy.json"), "utf8"));
    const allowed = new Set<string>(policy.Statement.flatMap((s: { Action: string[] }) => s.Action));
    const seen = [...new Set(allCalls)].sort();
    console.log(`actions called: ${seen.join(", ")}`);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    // EMR's actions are RAM's emr:…, every other one ecs:….
    for (const action of seen) expect(allowed, action).toContain(`${EMR_ACTIONS.includes(action) ? "emr" : "ecs"}:${action}`);
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    for (const action of allowed) expect(readme).toContain(`"${action}"`);
  }, 180_000);
});

describe("load", () => {
  it("1000 resources under 50 calls/s per API and 1% random 5xx: up then refresh with zero failures", async () => {
    const loadEmulator = await startEmulator({ fleet: benchFleet(1000), quiet: true, expiryVisibilityDelayMs: 0 });
    loadEmulator.faults.add({ action: "*", kind: "throttle", perSecond: 50 });
    loadEmulator.faults.add({ action: "*", kind: "error", code: "InternalError", status: 500, rate: 0.01 });
    const env = { ...process.env, ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret", ALIBABA_CLOUD_ECS_ENDPOINT: loadEmulator.url, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true", ALICLOUD_RENEWAL_RETRY_BASE_MS: "20" };
    const stateFile = path.join(tmp, "load.json");
    try {
      // A fleet runs with --parallel unbounded (the README's Fleet scale); the CLI's default would be 4 × CPUs.
      const up = await runEngine("up", { cwd: path.join(ROOT, "test", "bench", "project"), stack: "bench", stateFile, env, config: { count: "1000" }, parallel: UNBOUNDED });
      expect(up.ok, up.error).toBe(true);
      expect(up.steps.filter((s) => s.error)).toEqual([]);
      expect(loadEmulator.instances().filter((i) => i.renewalStatus === "AutoRenewal")).toHaveLength(1000);
      const refresh = await runEngine("refresh", { cwd: path.join(ROOT, "test", "bench", "project"), stack: "bench", stateFile, env, config: { count: "1000" }, parallel: UNBOUNDED });
      expect(refresh.ok, refresh.error).toBe(true);
      expect(refresh.steps.filter((s) => s.error)).toEqual([]);
      const injected = loadEmulator.calls().filter((c) => c.fault === "error").length;
      console.log(`load: 1000 resources, ${loadEmulator.calls().length} calls, ${injected} injected 5xx, 0 failures`);
    } finally {
      await loadEmulator.close();
    }
  }, 180_000);
});
