// What depends on the account, through the unmodified official SDK: its site (value sets and currency), its
// unified expiration day, the RAM policies of its keys, and orders still processing under one client token.
import * as $Ecs from "@alicloud/ecs20140526";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type FleetFile } from "./emulator";
import { ecsClient, sdkFailure, type EcsClient } from "./emulator/sdk";

const DAY = 86_400_000;
const instances: FleetFile["instances"] = [
  { instanceId: "i-acct0001", expiresInDays: 40, monthlyPrice: 100 },
  { instanceId: "i-acct0002", expiresInDays: 60, monthlyPrice: 100, renewalStatus: "AutoRenewal", duration: 1 },
  { instanceId: "i-acct0003", expiresInDays: -2, monthlyPrice: 100 },
];
const CHINA: FleetFile = { balance: 100_000, instances };
const INTERNATIONAL: FleetFile = { ...CHINA, site: "international" };
const UNIFIED: FleetFile = { ...CHINA, unifiedExpiryDay: 12 };
const KEYS: FleetFile = {
  ...CHINA,
  keys: [
    { accessKeyId: "LTAInoDescribe", accessKeySecret: "no-describe-secret", allow: ["ecs:DescribeInstanceAutoRenewAttribute", "ecs:Modify*"] },
    { accessKeyId: "LTAIattribute", accessKeySecret: "attribute-secret", allow: ["ECS:describeinstanceattribute"] },
    { accessKeyId: "LTAIeverything", accessKeySecret: "everything-secret" },
  ],
};

let emulator: Emulator;
let ecs: EcsClient;

beforeAll(async () => {
  emulator = await startEmulator({ fleet: CHINA, quiet: true, expiryVisibilityDelayMs: 0 });
  ecs = ecsClient(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const modify = (extra: Record<string, unknown>, c = ecs) =>
  c.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: "i-acct0001", renewalStatus: "AutoRenewal", ...extra }));
const renew = (extra: Record<string, unknown>, c = ecs) => c.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-acct0001", ...extra }));
const price = (extra: Record<string, unknown>, c = ecs) =>
  c.describeRenewalPrice(new $Ecs.DescribeRenewalPriceRequest({ regionId: "cn-hangzhou", resourceId: "i-acct0001", ...extra })).then((r) => r.body!.priceInfo!.price!);
const local = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16);

describe("site", () => {
  it("china (the default): Week for auto-renew and orders, Month up to 60, prices in CNY", async () => {
    await modify({ duration: 2, periodUnit: "Week" });
    await renew({ period: 2, periodUnit: "Week" });
    await renew({ instanceId: "i-acct0002", period: 24, periodUnit: "Month" });
    expect((await price({})).currency).toBe("CNY");
    expect(emulator.ledger().map((c) => c.currency)).toEqual(["CNY", "CNY"]);
  });

  it("international: no Week anywhere, RenewInstance takes Month 1–9 and 12 only, prices and charges in USD", async () => {
    emulator.reset(INTERNATIONAL);
    const week = await sdkFailure(modify({ duration: 1, periodUnit: "Week" }));
    expect(week).toMatchObject({ code: "InvalidPeriodUnit.ValueNotSupported", statusCode: 403 });
    await modify({ duration: 12, periodUnit: "Month" });
    await modify({ duration: 5, periodUnit: "Year" });
    expect(await sdkFailure(renew({ period: 1, periodUnit: "Week" }))).toMatchObject({ code: "InvalidPeriodUnit.ValueNotSupported", statusCode: 400 });
    for (const period of [10, 24, 36, 48, 60]) expect(await sdkFailure(renew({ period, periodUnit: "Month" }))).toMatchObject({ code: "InvalidPeriod", statusCode: 400 });
    expect(emulator.ledger()).toEqual([]);
    await renew({ period: 12, periodUnit: "Month", clientToken: "intl-12" });
    await renew({ instanceId: "i-acct0002", period: 9, periodUnit: "Month" });
    expect(emulator.ledger().map((c) => [c.period, c.currency])).toEqual([
      [12, "USD"],
      [9, "USD"],
    ]);
    expect(await price({ priceUnit: "Year", period: 1 })).toMatchObject({ currency: "USD", tradePrice: 1020 });
    expect(emulator.ledger()[0].amount).toBe(1020);
  });
});

describe("unified expiration day", () => {
  it("renews to 00:00 UTC+8 of the account's day, at least one month on: the reference's example (day 12)", async () => {
    emulator.reset(UNIFIED);
    emulator.putInstance({ instanceId: "i-acct0001", expiredTime: "2027-10-07T16:00Z" }); // 8 October, 00:00 Beijing
    emulator.putInstance({ instanceId: "i-acct0002", expiredTime: "2027-10-17T16:00Z" }); // 18 October
    const quoted = await price({ expectedRenewDay: 12 });
    await renew({ expectedRenewDay: 12 });
    await renew({ instanceId: "i-acct0002", expectedRenewDay: 12 });
    expect(emulator.ledger().map((c) => local(c.newExpiredTime))).toEqual(["2027-11-12T00:00", "2027-12-12T00:00"]);
    expect(emulator.ledger()[0].amount).toBe(quoted.tradePrice);
  });

  it("another day than the account's, or an account without one, is refused saying which", async () => {
    emulator.reset(UNIFIED);
    const other = await sdkFailure(renew({ expectedRenewDay: 5 }));
    expect(other).toMatchObject({ code: "InvalidParameter.ExpectedRenewDay", statusCode: 400, message: expect.stringContaining("does not match the unified expiration day of the account (12)") });
    emulator.reset(CHINA);
    const none = await sdkFailure(renew({ expectedRenewDay: 12 }));
    expect(none).toMatchObject({ code: "InvalidParameter.ExpectedRenewDay", statusCode: 400, message: expect.stringContaining("the account has no unified expiration day") });
    expect(await sdkFailure(price({ expectedRenewDay: 12 }))).toMatchObject({ code: "InvalidParameter.ExpectedRenewDay" });
    expect(emulator.ledger()).toEqual([]);
  });

  it("only an instance that has not expired renews to it; an expired one renews by period, from now", async () => {
    emulator.reset(UNIFIED);
    expect(await sdkFailure(renew({ instanceId: "i-acct0003", expectedRenewDay: 12 }))).toMatchObject({ code: "IncorrectInstanceStatus", statusCode: 403 });
    await renew({ instanceId: "i-acct0003", period: 1 });
    expect(Date.parse(emulator.instance("i-acct0003")!.expiredTime)).toBeGreaterThan(emulator.clock.now().getTime() + 27 * DAY);
  });
});

describe("RAM policies of the fleet's keys", () => {
  const as = (accessKeyId: string, accessKeySecret: string) => ecsClient(emulator, { accessKeyId, accessKeySecret });
  const listed = (c: EcsClient, extra: Record<string, unknown> = {}) => c.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou", ...extra })).then((r) => r.body!);

  it("without ecs:DescribeInstances, DescribeInstances answers an empty list (DryRun says why); the rest Forbidden.RAM", async () => {
    emulator.reset(KEYS);
    const c = as("LTAInoDescribe", "no-describe-secret");
    const body = await listed(c, { instanceIds: JSON.stringify(["i-acct0001"]) });
    expect(body.totalCount).toBe(0);
    expect(body.instances!.instance).toEqual([]);
    const dry = await sdkFailure(listed(c, { dryRun: true }));
    expect(dry).toMatchObject({ code: "Forbidden.RAM", statusCode: 403, message: expect.stringContaining("is not allowed action: ecs:DescribeInstances") });
    const attribute = await sdkFailure(c.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: "i-acct0001" })));
    expect(attribute).toMatchObject({ code: "Forbidden.RAM", statusCode: 403, accessDeniedDetail: expect.objectContaining({ AuthAction: "ecs:DescribeInstanceAttribute" }) });
    expect(await sdkFailure(renew({ period: 1 }, c))).toMatchObject({ code: "Forbidden.RAM" });
    expect(await sdkFailure(price({}, c))).toMatchObject({ code: "Forbidden.RAM" });
    // What it is allowed: patterns, matched case-insensitively as RAM does.
    await modify({ duration: 1 }, c);
    const attrs = await c.describeInstanceAutoRenewAttribute(new $Ecs.DescribeInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: "i-acct0001" }));
    expect(attrs.body!.instanceRenewAttributes!.instanceRenewAttribute![0].renewalStatus).toBe("AutoRenewal");
    const a = as("LTAIattribute", "attribute-secret");
    expect((await a.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: "i-acct0001" }))).body!.instanceId).toBe("i-acct0001");
    expect((await listed(a)).instances!.instance).toEqual([]);
  });

  it("a fleet key without allow may call everything; the emulator's own key keeps working beside the fleet's", async () => {
    emulator.reset(KEYS);
    expect((await listed(as("LTAIeverything", "everything-secret"))).totalCount).toBe(3);
    expect((await listed(ecs)).totalCount).toBe(3);
    emulator.reset(CHINA);
    expect(await sdkFailure(listed(as("LTAIeverything", "everything-secret")))).toMatchObject({ code: "InvalidAccessKeyId.NotFound", statusCode: 404 });
  });

  it.each([
    ["an unknown site", { site: "europe" }, /site must be one of china, international/],
    ["a unified expiration day of 29", { unifiedExpiryDay: 29 }, /unifiedExpiryDay must be a day of the month from 1 to 28/],
    ["a key without a secret", { keys: [{ accessKeyId: "LTAIx" }] }, /non-empty accessKeyId and accessKeySecret/],
    ["a policy that is not RAM action patterns", { keys: [{ accessKeyId: "LTAIx", accessKeySecret: "s", allow: ["DescribeInstances"] }] }, /allow must be a list of RAM action patterns/],
  ])("a fleet file with %s is refused whole", (_what, extra, message) => {
    expect(() => emulator.reset({ ...CHINA, ...extra } as FleetFile)).toThrow(message);
  });
});

describe("orders still processing under one client token", () => {
  it("a second request while the first with its token is still being handled: Idempotence.Processing (400); nothing charged twice", async () => {
    emulator.faults.add({ action: "RenewInstance", kind: "latency", ms: 400, times: 1 });
    const first = renew({ period: 1, clientToken: "in-flight" });
    await new Promise((r) => setTimeout(r, 100));
    const second = await sdkFailure(renew({ period: 1, clientToken: "in-flight" }));
    expect(second).toMatchObject({ name: "ClientError", code: "Idempotence.Processing", statusCode: 400, message: expect.stringContaining("The previous request is still processing") });
    const orderId = (await first).body!.orderId;
    expect((await renew({ period: 1, clientToken: "in-flight" })).body!.orderId).toBe(orderId);
    expect(emulator.ledger()).toHaveLength(1);
  });
});
