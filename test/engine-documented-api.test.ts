// The provider against what the documented ECS API does, as `pulumi` runs it: real programs through the
// local engine and the real dynamic-provider host, against the emulator. Periods ECS prices as years or not
// at all, a refresh under a key without ecs:DescribeInstances, the international site in preview, an order
// whose new expiry stays invisible for five minutes, and an instance converted to Pay-As-You-Go in a batch
// of 100.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchFleet } from "./bench/fleet";
import { startEmulator, type Emulator, type FleetFile } from "./emulator";
import { runEngine, type EngineOperation, type EngineResult } from "./engine";

const ROOT = path.resolve(__dirname, "..");
const PERIODS = path.join(ROOT, "test", "projects", "manual-periods");
const AUTO_RENEW = path.join(ROOT, "examples", "auto-renew-existing");
const BENCH = path.join(ROOT, "test", "bench", "project");
const MINUTE = 60_000;

let tmp: string;
let serial = 0;
const started: Emulator[] = [];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "documented-api-"));
});
afterAll(async () => {
  for (const e of started) await e.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function emulatorWith(fleet: FleetFile, expiryVisibilityDelayMs = 50): Promise<Emulator> {
  const e = await startEmulator({ fleet, quiet: true, expiryVisibilityDelayMs });
  started.push(e);
  return e;
}

/** One stack of `cwd` against `emulator`, with its own state file; `config` and `env` add to the defaults. */
function stack(emulator: Emulator, cwd: string, stackName: string, base: Record<string, string> = {}, consistencyMs = 3000) {
  const stateFile = path.join(tmp, `state-${++serial}.json`);
  const run = (op: EngineOperation, config: Record<string, string> = {}, key = { id: "LTAIemulator", secret: "emulator-secret" }): Promise<EngineResult> =>
    runEngine(op, {
      cwd,
      stack: stackName,
      stateFile,
      env: { ...process.env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true", ALICLOUD_RENEWAL_RETRY_BASE_MS: "5", ALICLOUD_RENEWAL_CONSISTENCY_TIMEOUT_MS: String(consistencyMs) },
      config: {
        "alicloud:region": "cn-hangzhou",
        "alicloud:accessKey": key.id,
        "alicloud:secretKey": key.secret,
        "alicloud-renewal:ecsEndpoint": emulator.url,
        ...base,
        ...config,
      },
    });
  return { run, stateFile };
}

const order = (r: EngineResult) => r.outputs!.order as { orderId: string; price: number | null; confirmed: boolean | null; reason: string; expiredTime: string };

describe("ManualRenewal periods: ECS prices 1–9 months and 1–3 years only", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await emulatorWith({ balance: 1_000_000, instances: [] });
  });
  const fresh = (config: Record<string, string>) => {
    const instanceId = `i-period${String(++serial).padStart(6, "0")}`;
    emulator.putInstance({ instanceId, expiresInDays: 20, monthlyPrice: 100 });
    const s = stack(emulator, PERIODS, "dev", { instanceId, ...config });
    return { ...s, instanceId, charges: () => emulator.ledger().filter((c) => c.instanceId === instanceId) };
  };

  it.each([
    ["a 12-month renewal", "12", 1020],
    ["a 2-year (24-month) renewal", "24", 2040],
  ])("%s: preview quotes the yearly price; up orders it at that price; maxPrice below it fails before any charge", async (_what, period, price) => {
    const guarded = fresh({ period, maxPrice: String(price - 1) });
    const preview = await guarded.run("preview");
    expect(preview.ok, preview.error).toBe(true);
    expect(preview.text).toContain(`"intent":"renew by ${period} Months","price":${price}`);
    const refused = await guarded.run("up");
    expect(refused.ok).toBe(false);
    expect(refused.error).toContain(`would cost ${price} CNY, above maxPrice ${price - 1}. Nothing was charged.`);
    expect(guarded.charges()).toEqual([]);
    const up = await guarded.run("up", { maxPrice: String(price) });
    expect(up.ok, up.error).toBe(true);
    expect(order(up)).toMatchObject({ price, confirmed: true });
    expect(guarded.charges()).toEqual([expect.objectContaining({ period: Number(period), periodUnit: "Month", amount: price })]);
    // Without maxPrice (manual-renewal-host covers the order itself): the same quote.
    const free = await fresh({ period }).run("preview");
    expect(free.text).toContain(`"intent":"renew by ${period} Months","price":${price}`);
  });

  it("a 48-month renewal cannot be priced: preview says so; with maxPrice up refuses; without it, up orders", async () => {
    const guarded = fresh({ period: "48", maxPrice: "100000" });
    const preview = await guarded.run("preview");
    expect(preview.ok, preview.error).toBe(true);
    expect(preview.text).toContain('"note":"no price: DescribeRenewalPrice prices 1–9 months and 1, 2 or 3 years (12, 24, 36 months) only, not 48 Months; with maxPrice set the order is refused"');
    const refused = await guarded.run("up");
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/cannot be priced: .* maxPrice 100000 cannot be checked\. Nothing was charged\./);
    const up = await guarded.run("up", { maxPrice: "" });
    expect(up.ok, up.error).toBe(true);
    expect(order(up)).toMatchObject({ price: null, confirmed: true });
    expect(guarded.charges()).toEqual([expect.objectContaining({ period: 48, amount: 4080 })]);
  });
});

describe("refresh under a RAM key without ecs:DescribeInstances", () => {
  const IDS = ["i-bp1demo000000000001", "i-bp1demo000000000002", "i-bp1demo000000000003"];
  const FLEET: FleetFile = {
    balance: 10_000,
    keys: [
      { accessKeyId: "LTAInoList", accessKeySecret: "no-list-secret", allow: ["ecs:DescribeInstanceAttribute", "ecs:DescribeInstanceAutoRenewAttribute", "ecs:Modify*"] },
      { accessKeyId: "LTAInoRead", accessKeySecret: "no-read-secret", allow: ["ecs:DescribeInstanceAutoRenewAttribute", "ecs:Modify*"] },
    ],
    instances: IDS.map((instanceId, n) => ({ instanceId, expiresInDays: 40 + n })),
  };

  it("keeps every resource: with DescribeInstanceAttribute allowed it succeeds and warns naming ecs:DescribeInstances; without, it fails naming both", async () => {
    const emulator = await emulatorWith(FLEET);
    const s = stack(emulator, AUTO_RENEW, "dev");
    const up = await s.run("up");
    expect(up.ok, up.error).toBe(true);
    const kept = (r: Pick<EngineResult, "state">) => r.state.resources.filter((x) => x.type.endsWith(":InstanceRenewal")).map((x) => x.id).sort();
    expect(kept(up)).toEqual(IDS);

    const listing = await s.run("refresh", {}, { id: "LTAInoList", secret: "no-list-secret" });
    expect(listing.ok, listing.error).toBe(true);
    expect(kept(listing)).toEqual(IDS);
    expect([...listing.diagnostics, listing.text].join("\n")).toContain("the credentials in use most likely lack ecs:DescribeInstances");
    // The instances were listed by nobody, yet their expiry still comes from ECS.
    const outputs = listing.state.resources.find((x) => x.id === IDS[0])!.outputs;
    expect(outputs.expiredTime).toBe(emulator.instance(IDS[0])!.expiredTime);

    const blind = await s.run("refresh", {}, { id: "LTAInoRead", secret: "no-read-secret" });
    expect(blind.ok).toBe(false);
    expect(blind.error).toMatch(/did not list instance i-bp1demo00000000000\d in cn-hangzhou, and the credentials in use may not call ecs:DescribeInstanceAttribute .* nothing is removed from the stack: grant ecs:DescribeInstances and ecs:DescribeInstanceAttribute/);
    expect(kept({ state: JSON.parse(fs.readFileSync(s.stateFile, "utf8")) })).toEqual(IDS);

    // A released instance is still dropped: ECS says so (InvalidInstanceId.NotFound from DescribeInstanceAttribute).
    emulator.removeInstance(IDS[2]);
    const released = await s.run("refresh", {}, { id: "LTAInoList", secret: "no-list-secret" });
    expect(released.ok, released.error).toBe(true);
    expect(kept(released)).toEqual(IDS.slice(0, 2));
  });
});

describe("the international site in preview", () => {
  it("refuses auto-renew by Week in preview, before any call; the China site (the default) takes it", async () => {
    const emulator = await emulatorWith({ site: "international", instances: [{ instanceId: "i-bp1demo000000000001" }, { instanceId: "i-bp1demo000000000002" }, { instanceId: "i-bp1demo000000000003" }] });
    const s = stack(emulator, AUTO_RENEW, "dev", { autoRenewPeriodUnit: "Week" });
    emulator.clearCalls();
    const international = await s.run("preview", { "alicloud-renewal:site": "international" });
    expect(international.ok).toBe(false);
    expect(international.error).toContain('periodUnit: "Week" is not allowed on the international site (stack config alicloud-renewal:site); use one of "Month", "Year"');
    expect(emulator.calls()).toEqual([]);
    const china = await s.run("preview");
    expect(china.ok, china.error).toBe(true);
  });
});

describe("an order whose new expiry stays invisible for 5 minutes of emulator time", () => {
  it("up succeeds with the order unconfirmed; preview shows an update; after 5 minutes refresh confirms it; one charge", async () => {
    const emulator = await emulatorWith({ balance: 10_000, instances: [{ instanceId: "i-late00000001", expiresInDays: 10, monthlyPrice: 100 }] }, 5 * MINUTE);
    const s = stack(emulator, PERIODS, "dev", { instanceId: "i-late00000001" }, 500);
    const before = emulator.instance("i-late00000001")!.expiredTime;
    const up = await s.run("up");
    expect(up.ok, up.error).toBe(true);
    expect(order(up)).toMatchObject({ confirmed: false, expiredTime: before });
    expect(order(up).reason).toContain("unconfirmed: the new expiry had not shown after");
    const [charge] = emulator.ledger();

    const preview = await s.run("preview");
    expect(preview.ok, preview.error).toBe(true);
    expect(preview.summary).toMatchObject({ update: 1, create: 0, replace: 0 });

    emulator.clock.advance(5 * MINUTE);
    const refresh = await s.run("refresh");
    expect(refresh.ok, refresh.error).toBe(true);
    const recorded = refresh.state.resources.find((x) => x.type.endsWith(":RenewalOrder"))!.outputs;
    expect(recorded).toMatchObject({ confirmed: true, expiredTime: charge.newExpiredTime, reason: "ordered: renew by 1 Month" });
    const again = await s.run("up");
    expect(again.ok, again.error).toBe(true);
    expect(again.summary).toMatchObject({ update: 0, create: 0, replace: 0 });
    expect(emulator.ledger()).toHaveLength(1);
    expect(emulator.calls().filter((c) => c.action === "RenewInstance")).toHaveLength(1);
  });
});

describe("an instance converted to Pay-As-You-Go in a batch of 100", () => {
  it("refresh keeps it with a warning and refreshes the other 99; destroy succeeds for all 100", async () => {
    const emulator = await emulatorWith(benchFleet(100));
    const s = stack(emulator, BENCH, "bench", { count: "100" });
    const up = await s.run("up");
    expect(up.ok, up.error).toBe(true);
    const converted = "i-bench0000000050";
    emulator.putInstance({ instanceId: converted, instanceChargeType: "PostPaid" });
    emulator.clearCalls();

    const refresh = await s.run("refresh");
    expect(refresh.ok, refresh.error).toBe(true);
    const resources = refresh.state.resources.filter((x) => x.type.endsWith(":InstanceRenewal"));
    expect(resources).toHaveLength(100);
    const kept = resources.find((x) => x.id === converted)!.outputs;
    expect(kept).toMatchObject({ instanceChargeType: "PostPaid", warning: expect.stringContaining("is now Pay-As-You-Go") });
    expect(resources.filter((x) => x.id !== converted).every((x) => x.outputs.renewalStatus === "AutoRenewal" && x.outputs.instanceChargeType === "PrePaid")).toBe(true);
    const attributeCalls = emulator.calls().filter((c) => c.action === "DescribeInstanceAutoRenewAttribute");
    console.log(`converted instance in a batch of 100: refresh made ${attributeCalls.length} DescribeInstanceAutoRenewAttribute calls (${attributeCalls.filter((c) => c.outcome === "ChargeTypeViolation").length} refused) to isolate it`);
    expect(attributeCalls.filter((c) => c.outcome === "ok").flatMap((c) => c.instanceIds)).toHaveLength(99);

    const destroy = await s.run("destroy");
    expect(destroy.ok, destroy.error).toBe(true);
    expect(destroy.state.resources.filter((x) => x.type.endsWith(":InstanceRenewal"))).toEqual([]);
    expect(emulator.instances().filter((i) => i.instanceChargeType === "PrePaid" && i.renewalStatus !== "Normal")).toEqual([]);
  });
});
