// ManualRenewal as `pulumi` runs it: the example program through the local engine and the real
// dynamic-provider host, against the ECS emulator. Preview orders nothing and shows the quote; every fault
// point of the charging call, and the host killed right after the charge, end — after re-running `up`
// until it succeeds — with exactly one charge for the intent.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type FaultRule, type FleetFile } from "./emulator";
import { runEngine, type EngineOperation, type EngineResult } from "./engine";

const PROJECT = path.resolve(__dirname, "..", "examples", "manual-renewal");
const DAY = 86_400_000;
const FLEET: FleetFile = { balance: 1_000_000, instances: [] };

let emulator: Emulator;
let tmp: string;
let serial = 0;

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true, expiryVisibilityDelayMs: 50 });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "manual-renewal-engine-"));
});
afterAll(async () => {
  await emulator?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A stack of the example for one fresh instance that expires in 10 days (inside the example's 15-day window). */
function stackFor(on: () => Emulator = () => emulator, timeouts = { consistencyMs: 3000 }) {
  const instanceId = `i-mre${String(++serial).padStart(8, "0")}`;
  on().putInstance({ instanceId, expiresInDays: 10, monthlyPrice: 100 });
  const stateFile = path.join(tmp, `${instanceId}.json`);
  const mark = `mr-engine-${process.pid}-${instanceId}`;
  const env = {
    ...process.env,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    ALICLOUD_RENEWAL_RETRY_BASE_MS: "5",
    ALICLOUD_RENEWAL_CONSISTENCY_TIMEOUT_MS: String(timeouts.consistencyMs),
    MANUAL_RENEWAL_TEST_MARK: mark,
  };
  const run = (op: EngineOperation, config: Record<string, string> = {}) =>
    runEngine(op, {
      cwd: PROJECT,
      stack: "dev",
      stateFile,
      env,
      config: {
        "alicloud:region": "cn-hangzhou",
        "alicloud:accessKey": "LTAIemulator",
        "alicloud:secretKey": "emulator-secret",
        "alicloud-renewal:ecsEndpoint": on().url,
        instanceId,
        ...config,
      },
    });
  const charges = () => on().ledger().filter((c) => c.instanceId === instanceId && c.kind === "renew");
  const renewCalls = () => on().calls().filter((c) => c.action === "RenewInstance" && c.instanceIds?.includes(instanceId));
  return { instanceId, stateFile, mark, run, charges, renewCalls, expiry: () => Date.parse(on().instance(instanceId)!.expiredTime) };
}

/** Re-runs `up` as a user would, until it succeeds. */
async function upUntilOk(run: (op: EngineOperation) => Promise<EngineResult>, attempts = 5): Promise<{ result: EngineResult; runs: number; failures: string[] }> {
  const failures: string[] = [];
  for (let runs = 1; runs <= attempts; runs++) {
    const result = await run("up");
    if (result.ok) return { result, runs, failures };
    failures.push(result.error ?? "");
  }
  throw new Error(`up did not converge:\n${failures.join("\n")}`);
}

const order = (result: EngineResult) => result.outputs!.urgentOrder as Record<string, unknown>;
const orderState = (result: EngineResult) => result.state.resources.find((r) => r.type.endsWith(":RenewalOrder"));

/** The provider host of the run carrying `mark` in its environment (each run starts its own). */
function hostPid(mark: string): number | undefined {
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("cmd/dynamic-provider") && fs.readFileSync(`/proc/${pid}/environ`, "utf8").includes(mark)) return Number(pid);
    } catch {
      // gone, or not ours
    }
  }
  return undefined;
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("preview and re-runs", () => {
  it("preview shows the instance, intent, current and expected expiry and price, and calls no RenewInstance", async () => {
    const s = stackFor();
    const preview = await s.run("preview");
    expect(preview.ok, preview.error).toBe(true);
    expect(preview.text).toContain(`+ instanceId: "${s.instanceId}"`);
    expect(preview.text).toContain("+ period: 1");
    expect(preview.text).toMatch(/\+ quote: \{"currency":"CNY","currentExpiredTime":"[^"]+","expectedExpiredTime":"[^"]+","intent":"renew by 1 Month","price":100\}/);
    expect(preview.text).toContain("urgent-plan  create");
    expect(s.renewCalls()).toEqual([]);
    expect(s.charges()).toEqual([]);
    expect(fs.existsSync(s.stateFile)).toBe(false);
  });

  it("a preview without credentials (a CI job for a pull request) still shows the intent, and why there is no quote", async () => {
    const s = stackFor();
    const env: NodeJS.ProcessEnv = { ...process.env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true", ALICLOUD_RENEWAL_RETRY_BASE_MS: "5", ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url };
    for (const k of Object.keys(env)) if (/ACCESS_KEY|SECRET|SECURITY_TOKEN|PROFILE|CREDENTIALS/.test(k)) delete env[k];
    const preview = await runEngine("preview", { cwd: PROJECT, stack: "dev", stateFile: s.stateFile, env, config: { "alicloud:region": "cn-hangzhou", instanceId: s.instanceId } });
    expect(preview.ok, preview.error).toBe(true);
    expect(preview.text).toMatch(/\+ quote: \{"intent":"renew by 1 Month","note":"no quote: No Alibaba Cloud credentials were found for DescribeInstances on instance i-mre\d+"\}/);
    expect(s.renewCalls()).toEqual([]);
  });

  it("up orders once; up and preview again change nothing and charge nothing; refresh records the expiry only; destroy refunds nothing", async () => {
    const s = stackFor();
    const before = s.expiry();
    const up = await s.run("up");
    expect(up.ok, up.error).toBe(true);
    expect(s.charges()).toEqual([expect.objectContaining({ period: 1, periodUnit: "Month", amount: 100 })]);
    expect(order(up)).toMatchObject({ skipped: false, price: 100, orderId: s.charges()[0].orderId });
    expect(Date.parse(order(up).expiredTime as string)).toBeGreaterThan(before + 27 * DAY);
    const plan = up.state.resources.find((r) => r.type.endsWith(":RenewalPlan"))!;
    expect(plan.outputs.plannedFromExpiredTime).toBe(new Date(before).toISOString().slice(0, 16) + "Z");

    for (const op of ["up", "preview"] as EngineOperation[]) {
      const again = await s.run(op);
      expect(again.ok, again.error).toBe(true);
      expect(again.summary, op).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    }
    // Someone renews in the console; refresh records the expiry and orders nothing.
    emulator.putInstance({ instanceId: s.instanceId, expiredTime: new Date(s.expiry() + 30 * DAY).toISOString().slice(0, 16) + "Z" });
    const refresh = await s.run("refresh");
    expect(refresh.ok, refresh.error).toBe(true);
    expect(orderState(refresh)!.outputs.expiredTime).toBe(emulator.instance(s.instanceId)!.expiredTime);
    const destroy = await s.run("destroy");
    expect(destroy.ok, destroy.error).toBe(true);
    expect(destroy.diagnostics.join("\n")).toContain("nothing is charged and nothing is refunded");
    expect(s.charges()).toHaveLength(1);
    expect(s.renewCalls()).toHaveLength(1);
  });

  it("a guard change is an update without a call; a new renewalKey is one new renewal", async () => {
    const s = stackFor();
    expect((await s.run("up")).ok).toBe(true);
    const calls = emulator.calls().length;
    const guarded = await s.run("up", { maxPrice: "300" });
    expect(guarded.ok, guarded.error).toBe(true);
    expect(guarded.summary).toMatchObject({ update: 1, replace: 0 });
    expect(orderState(guarded)!.outputs.maxPrice).toBe(300);
    // The program's own quote reads; the provider calls nothing.
    expect(emulator.calls().slice(calls).map((c) => c.action).filter((a) => a !== "DescribeInstances" && a !== "DescribeRenewalPrice")).toEqual([]);
    expect(s.renewCalls()).toHaveLength(1);
    // The instance now expires in ~40 days, outside the 15-day window: the new renewal is skipped...
    const rekeyed = await s.run("up", { renewalKey: "second" });
    expect(rekeyed.ok, rekeyed.error).toBe(true);
    expect(rekeyed.summary).toMatchObject({ replace: 2 });
    expect(order(rekeyed)).toMatchObject({ skipped: true, reason: expect.stringContaining("later than onlyIfExpiresWithinDays 15") });
    expect(s.charges()).toHaveLength(1);
  });
});

const FAULTS: Array<[string, FaultRule[]]> = [
  ["throttled", [{ action: "RenewInstance", kind: "throttle", perSecond: 0, times: 3 }]],
  ["5xx before the charge", [{ action: "RenewInstance", kind: "error", code: "InternalError", status: 500, times: 2 }, { action: "RenewInstance", kind: "error", code: "ServiceUnavailable", status: 503, times: 1 }]],
  ["apply-then-fail with a 500", [{ action: "RenewInstance", kind: "apply-then-fail", times: 1 }]],
  ["apply-then-fail with a dropped connection", [{ action: "RenewInstance", kind: "apply-then-fail", drop: true, times: 1 }]],
  ["an order still processing", [{ action: "RenewInstance", kind: "error", code: "LastOrderProcessing", status: 400, times: 2 }]],
  ["every answer lost, more times than the retries", [{ action: "RenewInstance", kind: "apply-then-fail", drop: true, times: 12 }]],
  ["5xx on every attempt of the first run", [{ action: "RenewInstance", kind: "error", code: "ServiceUnavailable", status: 503, times: 8 }]],
  ["no answer from the reads", [{ action: "DescribeInstances", kind: "drop", times: 3 }, { action: "DescribeRenewalPrice", kind: "error", code: "InternalError", times: 2 }]],
];

describe("bad input in a program", () => {
  // A bad intent fails the plan child's Check; the order child waits on the plan's outputs and the component
  // on the order's. As under \`pulumi\`, the run must still end, naming the property.
  const CASES: Array<[string, Record<string, unknown>, string, string]> = [
    ["period 10 months", { period: 10, periodUnit: "Month" }, "period", "10 is not allowed"],
    ["period 5 weeks", { period: 5, periodUnit: "Week" }, "period", "5 is not allowed"],
    ["expectedRenewDay 29", { expectedRenewDay: 29 }, "expectedRenewDay", "29"],
    ["ensureExpiresAfter not a date", { ensureExpiresAfter: "next tuesday" }, "ensureExpiresAfter", '"next tuesday"'],
    ["ensureExpiresAfter with period", { ensureExpiresAfter: "2099-01-01", period: 1 }, "ensureExpiresAfter", "cannot be combined with period"],
  ];
  let project: string;
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(tmp, "bad-input-"));
    fs.symlinkSync(path.resolve(__dirname, "..", "node_modules"), path.join(project, "node_modules"), "dir");
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: bad-input\nruntime: nodejs\n");
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "bad-input", private: true, main: "index.ts" }));
    fs.writeFileSync(
      path.join(project, "index.ts"),
      [
        'import * as pulumi from "@pulumi/pulumi";',
        'import { ManualRenewal } from "pulumi-alicloud-renewal";',
        "const config = new pulumi.Config();",
        'const m = new ManualRenewal("m", { instanceId: config.require("instanceId"), ...config.requireObject<Record<string, unknown>>("args") });',
        "export const orderId = m.orderId;",
        "",
      ].join("\n"),
    );
  });

  it.each(CASES)("%s: preview and up fail at check naming the property; nothing is written or charged", async (_name, args, property, words) => {
    const instanceId = `i-mre${String(++serial).padStart(8, "0")}`;
    emulator.putInstance({ instanceId, expiresInDays: 10, monthlyPrice: 100 });
    const stateFile = path.join(tmp, `${instanceId}.json`);
    for (const op of ["preview", "up"] as const) {
      const started = Date.now();
      const result = await runEngine(op, {
        cwd: project,
        stack: "dev",
        stateFile,
        env: { ...process.env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" },
        config: {
          "alicloud:region": "cn-hangzhou",
          "alicloud:accessKey": "LTAIemulator",
          "alicloud:secretKey": "emulator-secret",
          "alicloud-renewal:ecsEndpoint": emulator.url,
          instanceId,
          args: JSON.stringify(args),
        },
      });
      expect(result.ok, `${op}: ${result.text}`).toBe(false);
      expect(result.error).toContain(`RenewalPlan m-plan: ${property}: `);
      expect(result.error).toContain(words);
      expect(result.text).toContain("m-plan  create failed");
      expect(Date.now() - started).toBeLessThan(30_000);
    }
    const touched = emulator.calls().filter((c) => c.instanceIds.includes(instanceId));
    expect(touched.filter((c) => c.action === "RenewInstance")).toEqual([]);
    expect(emulator.ledger().filter((c) => c.instanceId === instanceId)).toEqual([]);
  });
});

describe("the fault matrix: up until it succeeds, exactly one charge for the intent", () => {
  it.each(FAULTS)("%s", async (_name, rules) => {
    const s = stackFor();
    for (const rule of rules) emulator.faults.add({ ...rule, instanceId: s.instanceId });
    try {
      const { result } = await upUntilOk(s.run);
      expect(s.charges()).toHaveLength(1);
      expect(s.charges()[0].clientToken).toBe(orderState(result)!.outputs.clientToken);
      emulator.faults.clear();
      const again = await s.run("up");
      expect(again.summary).toMatchObject({ create: 0, update: 0, replace: 0 });
      expect(s.charges()).toHaveLength(1);
    } finally {
      emulator.faults.clear();
    }
  });
});

describe("the provider host killed right after the charge", () => {
  /** Starts `up`, kills its host once the charge is in the ledger, and returns the failed run. */
  async function killedAfterCharge(s: ReturnType<typeof stackFor>, on: Emulator): Promise<EngineResult> {
    // Reads after the charge are slow, so the host is still waiting for the new expiry when it dies.
    const pending = s.run("up");
    await until(() => s.charges().length === 1);
    on.faults.add({ action: "DescribeInstances", kind: "latency", ms: 2000, times: 2 });
    const pid = hostPid(s.mark);
    expect(pid).toBeDefined();
    process.kill(pid!, "SIGKILL");
    const first = await pending;
    // The dead host's slow reads are still in the emulator: nothing this test started may outlive it.
    await on.idle();
    on.faults.clear();
    expect(first.ok).toBe(false);
    expect(first.error).toMatch(/host|died|signal/i);
    expect(first.state.resources.find((r) => r.type.endsWith(":RenewalOrder"))).toBeUndefined();
    return first;
  }

  it("the next up sees the renewal against its plan and orders nothing", async () => {
    const s = stackFor();
    await killedAfterCharge(s, emulator);
    const calls = s.renewCalls().length;
    const { result } = await upUntilOk(s.run);
    expect(order(result)).toMatchObject({ skipped: true, orderId: "", reason: expect.stringMatching(/^already renewed: it expired at .* when this renewal was planned/) });
    expect(s.renewCalls()).toHaveLength(calls);
    expect(s.charges()).toHaveLength(1);
  });

  it("even when ECS has forgotten the client token by the next run", async () => {
    const s = stackFor();
    await killedAfterCharge(s, emulator);
    const charged = s.charges();
    // Forget every token: the account as it is now (the renewal shown), without its order history.
    await until(() => emulator.instance(s.instanceId)!.expiredTime === charged[0].newExpiredTime);
    emulator.reset({ balance: emulator.balance(), instances: emulator.instances().map(({ instanceId, expiredTime, monthlyPrice }) => ({ instanceId, expiredTime, monthlyPrice })) });
    const { result } = await upUntilOk(s.run);
    expect(order(result)).toMatchObject({ skipped: true, reason: expect.stringContaining("already renewed") });
    expect([...charged, ...s.charges()]).toHaveLength(1);
  });

  it("re-run before the renewal shows: the same token brings back the first order, charging nothing", async () => {
    // A separate account whose renewals take 8 s to show, longer than a host restart.
    const slow = await startEmulator({ fleet: FLEET, quiet: true, expiryVisibilityDelayMs: 8000 });
    try {
      const s = stackFor(() => slow, { consistencyMs: 20_000 });
      const pending = s.run("up");
      await until(() => s.charges().length === 1);
      process.kill(hostPid(s.mark)!, "SIGKILL");
      expect((await pending).ok).toBe(false);
      await slow.idle();
      const { result } = await upUntilOk(s.run);
      expect(s.renewCalls().length).toBeGreaterThanOrEqual(2);
      expect(s.charges()).toHaveLength(1);
      expect(order(result)).toMatchObject({ skipped: false, orderId: s.charges()[0].orderId });
    } finally {
      await slow.close();
    }
  }, 60_000);
});
