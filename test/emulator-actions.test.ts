// Every modelled ECS action through the unmodified official SDK: parameters as the SDK flattens them,
// response shapes as its models read them, and each documented error (class, code, HTTP status, request id).
import * as $Ecs from "@alicloud/ecs20140526";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renewalPrice, startEmulator, type Emulator, type FleetFile } from "./emulator";
import { ecsClient, sdkFailure, type EcsClient } from "./emulator/sdk";

const DAY = 86_400_000;
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const FLEET: FleetFile = {
  balance: 1000,
  unifiedExpiryDay: 15,
  instances: [
    { instanceId: "i-act0001", expiresInDays: 40, monthlyPrice: 100, tags: { team: "web", env: "prod" } },
    { instanceId: "i-act0002", expiresInDays: 60, renewalStatus: "AutoRenewal", duration: 3, periodUnit: "Month", monthlyPrice: 100, tags: { team: "web", env: "dev" } },
    { instanceId: "i-act0003", instanceChargeType: "PostPaid", monthlyPrice: 100 },
    { instanceId: "i-act0004", expiresInDays: 30, renewalStatus: "NotRenewal", monthlyPrice: 100 },
    { instanceId: "i-act0005", expiresInDays: 0.5, monthlyPrice: 100 },
    { instanceId: "i-act0006", expiresInDays: 50, monthlyPrice: 30, starterPackage: true },
    { instanceId: "i-act0007", expiresInDays: 20, monthlyPrice: 200, status: "Stopped", tags: { team: "db" } },
    { instanceId: "i-act0008", regionId: "cn-shanghai", expiresInDays: 20, monthlyPrice: 100 },
    { instanceId: "i-act0009", expiresInDays: 70, monthlyPrice: 100, renewalStatus: "AutoRenewal", duration: 2, periodUnit: "Week", lockReasons: ["security"] },
    ...Array.from({ length: 25 }, (_, n) => ({ instanceId: `i-page${String(n).padStart(4, "0")}`, expiresInDays: 100 + n, monthlyPrice: 10 })),
  ],
};
const HANGZHOU = FLEET.instances.filter((i) => !i.regionId).length; // 33

let emulator: Emulator;
let ecs: EcsClient;

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true, expiryVisibilityDelayMs: 0 });
  ecs = ecsClient(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

/** The SDK error's class, code and status, with the request id checked against the body. */
async function fails(call: Promise<unknown>, name: string, code: string, statusCode: number): Promise<string> {
  const f = await sdkFailure(call);
  expect(f).toMatchObject({ name, code, statusCode });
  expect(f.requestId).toMatch(UUID);
  expect(f.data!.RequestId).toBe(f.requestId);
  return f.message;
}

describe("DescribeInstanceAutoRenewAttribute", () => {
  const attrs = (extra: Record<string, unknown>) => ecs.describeInstanceAutoRenewAttribute(new $Ecs.DescribeInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", ...extra }));

  it("returns the attributes of comma-joined ids, leaving out ids unknown in the region", async () => {
    const body = (await attrs({ instanceId: "i-act0001,i-act0002,i-gone0001,i-act0008,i-act0001", pageSize: "100" })).body!;
    expect(body.requestId).toMatch(UUID);
    expect(body).toMatchObject({ totalCount: 2, pageNumber: 1, pageSize: 100 });
    expect(body.instanceRenewAttributes!.instanceRenewAttribute!.map((a) => ({ ...a }))).toEqual([
      { instanceId: "i-act0001", autoRenewEnabled: false, duration: 0, periodUnit: "Month", renewalStatus: "Normal" },
      { instanceId: "i-act0002", autoRenewEnabled: true, duration: 3, periodUnit: "Month", renewalStatus: "AutoRenewal" },
    ]);
  });

  it("filters by RenewalStatus alone or with ids, and pages with PageNumber/PageSize (default 10)", async () => {
    const first = (await attrs({ renewalStatus: "Normal" })).body!;
    expect(first).toMatchObject({ totalCount: HANGZHOU - 4, pageNumber: 1, pageSize: 10 });
    expect(first.instanceRenewAttributes!.instanceRenewAttribute).toHaveLength(10);
    const last = (await attrs({ renewalStatus: "Normal", pageNumber: "3", pageSize: "10" })).body!;
    expect(last.instanceRenewAttributes!.instanceRenewAttribute).toHaveLength(HANGZHOU - 4 - 20);
    const seen = new Set<string>();
    for (let page = 1; page <= 3; page++) {
      for (const a of (await attrs({ renewalStatus: "Normal", pageNumber: String(page) })).body!.instanceRenewAttributes!.instanceRenewAttribute!) seen.add(a.instanceId!);
    }
    expect(seen.size).toBe(HANGZHOU - 4);
    expect((await attrs({ renewalStatus: "NotRenewal" })).body!.instanceRenewAttributes!.instanceRenewAttribute!.map((a) => a.instanceId)).toEqual(["i-act0004"]);
    expect((await attrs({ renewalStatus: "AutoRenewal", instanceId: "i-act0001,i-act0002" })).body!.totalCount).toBe(1);
  });

  it("reads a weekly auto-renew back as \"week\", as the reference's response table shows it", async () => {
    const [a] = (await attrs({ instanceId: "i-act0009" })).body!.instanceRenewAttributes!.instanceRenewAttribute!;
    expect({ ...a }).toMatchObject({ duration: 2, periodUnit: "week", renewalStatus: "AutoRenewal" });
  });

  it("takes up to 100 ids", async () => {
    const ids = Array.from({ length: 100 }, (_, n) => (n < 25 ? `i-page${String(n).padStart(4, "0")}` : `i-none${String(n).padStart(4, "0")}`)).join(",");
    expect((await attrs({ instanceId: ids, pageSize: "100" })).body!.totalCount).toBe(25);
  });

  it.each([
    ["no InstanceId and no RenewalStatus", {}, "InvalidParameter.RenewalStatusInstanceId", 403],
    ["101 ids", { instanceId: Array.from({ length: 101 }, (_, n) => `i-x${String(n).padStart(4, "0")}`).join(",") }, "InvalidParameter.ToManyInstanceIds", 403],
    ["a malformed id", { instanceId: "i-act0001,I-BAD" }, "InvalidParameter.InvalidInstanceId", 403],
    ["a Pay-As-You-Go id in the batch", { instanceId: "i-act0001,i-act0003" }, "ChargeTypeViolation", 403],
    ["an unknown RenewalStatus", { renewalStatus: "Auto" }, "InvalidParameter.RenewalStatus", 403],
    ["PageSize 101", { instanceId: "i-act0001", pageSize: "101" }, "InvalidParameter.PageSize", 400],
    ["PageNumber 0", { instanceId: "i-act0001", pageNumber: "0" }, "InvalidParameter.PageNumber", 400],
    ["no RegionId", { regionId: undefined, instanceId: "i-act0001" }, "MissingParameter.RegionId", 400],
  ])("%s → %s", async (_what, extra, code, status) => {
    const message = await fails(attrs(extra), "ClientError", code, status);
    // The documented message: it does not say which id of the batch is Pay-As-You-Go.
    if (code === "ChargeTypeViolation") expect(message).toContain("Pay-As-You-Go instances do not support this operation.");
    if (code === "InvalidParameter.RenewalStatusInstanceId") expect(message).toContain("The parameter RenewalStatus and InstanceId can not be both empty.");
    if (code === "InvalidParameter.InvalidInstanceId") expect(message).toContain("I-BAD");
  });
});

describe("ModifyInstanceAutoRenewAttribute", () => {
  const modify = (ids: string, extra: Record<string, unknown>) => ecs.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: ids, ...extra }));

  it("sets many instances in one call; RenewalStatus wins over AutoRenew; AutoRenew alone works too", async () => {
    const r = await modify("i-act0001,i-act0007", { renewalStatus: "AutoRenewal", autoRenew: false, duration: 6, periodUnit: "Month" });
    expect(r.body!.requestId).toMatch(UUID);
    expect(emulator.instance("i-act0001")).toMatchObject({ renewalStatus: "AutoRenewal", duration: 6, periodUnit: "Month" });
    expect(emulator.instance("i-act0007")).toMatchObject({ renewalStatus: "AutoRenewal", duration: 6 });
    await modify("i-act0001", { renewalStatus: "Normal", autoRenew: true });
    expect(emulator.instance("i-act0001")!.renewalStatus).toBe("Normal");
    await modify("i-act0001", { autoRenew: true, duration: 2, periodUnit: "Year" });
    expect(emulator.instance("i-act0001")).toMatchObject({ renewalStatus: "AutoRenewal", duration: 2, periodUnit: "Year" });
    await modify("i-act0001", { autoRenew: false });
    expect(emulator.instance("i-act0001")!.renewalStatus).toBe("Normal");
    await modify("i-act0007", { renewalStatus: "NotRenewal" });
    expect(emulator.instance("i-act0007")!.renewalStatus).toBe("NotRenewal");
  });

  it("takes up to 100 ids at once", async () => {
    const ids = Array.from({ length: 25 }, (_, n) => `i-page${String(n).padStart(4, "0")}`).join(",");
    await modify(ids, { renewalStatus: "AutoRenewal", duration: 1 });
    expect(emulator.instances().filter((i) => i.renewalStatus === "AutoRenewal")).toHaveLength(27);
  });

  it.each([
    ["Month", [1, 2, 3, 6, 12, 24, 36, 48, 60], [4, 5, 7, 13, 72]],
    ["Year", [1, 2, 3, 4, 5], [6, 10]],
    ["Week", [1, 2, 3, 4], [5]],
  ] as const)("Duration with PeriodUnit %s: %o allowed, %o not", async (unit, allowed, refused) => {
    for (const duration of allowed) {
      await modify("i-act0001", { renewalStatus: "AutoRenewal", duration, periodUnit: unit });
      expect(emulator.instance("i-act0001")).toMatchObject({ duration, periodUnit: unit });
    }
    for (const duration of refused) {
      const message = await fails(modify("i-act0001", { renewalStatus: "AutoRenewal", duration, periodUnit: unit }), "ClientError", "InvalidParameter.Duration", 403);
      expect(message).toContain(String(duration));
    }
  });

  it("a NotRenewal instance goes to Normal first, then to AutoRenewal", async () => {
    await fails(modify("i-act0004", { renewalStatus: "AutoRenewal", duration: 1 }), "ClientError", "InvalidParameter.RenewalStatus", 403);
    await modify("i-act0004", { renewalStatus: "Normal" });
    await modify("i-act0004", { renewalStatus: "AutoRenewal", duration: 1 });
    expect(emulator.instance("i-act0004")!.renewalStatus).toBe("AutoRenewal");
  });

  it("a starter-package instance auto-renews by the month only", async () => {
    await modify("i-act0006", { renewalStatus: "AutoRenewal", duration: 3, periodUnit: "Month" });
    await fails(modify("i-act0006", { renewalStatus: "AutoRenewal", duration: 1, periodUnit: "Year" }), "ClientError", "InvalidPeriod.StarterPackage", 403);
    await fails(modify("i-act0006", { renewalStatus: "AutoRenewal", duration: 1, periodUnit: "Week" }), "ClientError", "InvalidPeriod.StarterPackage", 403);
  });

  it("an instance expiring within 24 hours cannot be switched to AutoRenewal, but can be set Normal or NotRenewal", async () => {
    const message = await fails(modify("i-act0005", { renewalStatus: "AutoRenewal", duration: 1 }), "ClientError", "IncorrectInstanceStatus", 403);
    expect(message).toContain("The current status of the resource does not support this operation.");
    await modify("i-act0005", { renewalStatus: "NotRenewal" });
    expect(emulator.instance("i-act0005")!.renewalStatus).toBe("NotRenewal");
  });

  it.each([
    ["a Pay-As-You-Go instance", "i-act0003", "ChargeTypeViolation", 403, "Pay-As-You-Go instances do not support this operation."],
    ["an instance that expires within 24 hours", "i-act0005", "IncorrectInstanceStatus", 403, "The current status of the resource does not support this operation."],
    ["an unknown instance", "i-nosuch01", "InvalidInstanceId.NotFound", 404, "The specified InstanceId does not exist."],
    ["an instance of another region", "i-act0008", "InvalidInstanceId.NotFound", 404, "The specified InstanceId does not exist."],
    ["a NotRenewal instance", "i-act0004", "InvalidParameter.RenewalStatus", 403, "NotRenewal must be set to Normal"],
  ])("all or none: %s in the batch fails the call with the documented message (no id), and changes nothing", async (_what, bad, code, status, text) => {
    const message = await fails(modify(`i-act0001,i-act0007,${bad},i-page0001`, { renewalStatus: "AutoRenewal", duration: 1 }), "ClientError", code, status);
    expect(message).toContain(text);
    expect(message).not.toContain(bad);
    for (const id of ["i-act0001", "i-act0007", "i-page0001"]) expect(emulator.instance(id)!.renewalStatus).toBe("Normal");
  });

  it.each([
    ["no InstanceId", "", {}, "MissingParameter.InstanceId", 403],
    ["101 ids", Array.from({ length: 101 }, (_, n) => `i-x${String(n).padStart(4, "0")}`).join(","), {}, "InvalidParameter.ToManyInstanceIds", 403],
    ["a malformed id", "i-act0001,i_bad", {}, "InvalidParameter.InvalidInstanceId", 403],
    ["an unknown RenewalStatus", "i-act0001", { renewalStatus: "Auto" }, "InvalidParameter.RenewalStatus", 403],
    ["an unknown PeriodUnit", "i-act0001", { renewalStatus: "AutoRenewal", duration: 1, periodUnit: "Day" }, "InvalidPeriodUnit.ValueNotSupported", 403],
    ["no RegionId", "i-act0001", { regionId: undefined, renewalStatus: "Normal" }, "MissingParameter.RegionId", 400],
  ])("%s → %s", async (_what, ids, extra, code, status) => {
    await fails(modify(ids, extra), "ClientError", code, status);
  });
});

describe("DescribeInstances", () => {
  const list = (extra: Record<string, unknown>) => ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou", ...extra }));
  const ids = async (extra: Record<string, unknown>) => (await list({ maxResults: 100, ...extra })).body!.instances!.instance!.map((i) => i.instanceId);

  it("answers in the SDK model's shape", async () => {
    const body = (await list({ instanceIds: JSON.stringify(["i-act0001"]) })).body!;
    expect(body).toMatchObject({ totalCount: 1, pageNumber: 1, pageSize: 10, nextToken: "", requestId: expect.stringMatching(UUID) });
    const [i] = body.instances!.instance!;
    expect(i).toMatchObject({ instanceId: "i-act0001", regionId: "cn-hangzhou", instanceChargeType: "PrePaid", status: "Running" });
    expect(i.expiredTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    expect(i.expiredTime).toBe(emulator.instance("i-act0001")!.expiredTime);
    expect(i.operationLocks!.lockReason).toEqual([]);
    expect(i.tags!.tag!.map((t) => ({ ...t }))).toEqual([
      { tagKey: "team", tagValue: "web" },
      { tagKey: "env", tagValue: "prod" },
    ]);
  });

  it("filters by InstanceIds (a JSON array; [] matches nothing), region, charge type, status and tags", async () => {
    expect(await ids({ instanceIds: JSON.stringify(["i-act0001", "i-act0003", "i-act0008", "i-gone0001"]) })).toEqual(["i-act0001", "i-act0003"]);
    expect(await ids({ instanceIds: "[]" })).toEqual([]);
    expect(await ids({ regionId: "cn-shanghai" })).toEqual(["i-act0008"]);
    expect(await ids({ instanceChargeType: "PostPaid" })).toEqual(["i-act0003"]);
    expect(await ids({ status: "Stopped" })).toEqual(["i-act0007"]);
    const tag = (key: string, value?: string) => new $Ecs.DescribeInstancesRequestTag({ key, value });
    expect(await ids({ tag: [tag("team", "web")] })).toEqual(["i-act0001", "i-act0002"]);
    expect(await ids({ tag: [tag("team")] })).toEqual(["i-act0001", "i-act0002", "i-act0007"]);
    expect(await ids({ tag: [tag("team", "web"), tag("env", "dev")] })).toEqual(["i-act0002"]);
  });

  it("selects by expiry window with Filter.N ExpiredStartTime/ExpiredEndTime (UTC yyyy-MM-ddTHH:mmZ)", async () => {
    const fmt = (d: number) => new Date(d).toISOString().slice(0, 16) + "Z";
    const now = emulator.clock.now().getTime();
    const filter = [
      new $Ecs.DescribeInstancesRequestFilter({ key: "ExpiredStartTime", value: fmt(now) }),
      new $Ecs.DescribeInstancesRequestFilter({ key: "ExpiredEndTime", value: fmt(now + 45 * DAY) }),
    ];
    expect(await ids({ filter, instanceChargeType: "PrePaid" })).toEqual(["i-act0001", "i-act0004", "i-act0005", "i-act0007"]);
    expect(await ids({ filter: [new $Ecs.DescribeInstancesRequestFilter({ key: "ExpiredEndTime", value: fmt(now + DAY) })] })).toEqual(["i-act0005"]);
  });

  it("pages with MaxResults + NextToken", async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const body = (await list({ maxResults: 10, ...(nextToken ? { nextToken } : {}) })).body!;
      // Documented as meaningless with MaxResults/NextToken: here the count of this page, not the total.
      expect(body.totalCount).toBe(body.instances!.instance!.length);
      seen.push(...body.instances!.instance!.map((i) => i.instanceId!));
      nextToken = body.nextToken || undefined;
      pages++;
    } while (nextToken);
    expect(pages).toBe(Math.ceil(HANGZHOU / 10));
    expect(new Set(seen).size).toBe(HANGZHOU);
    expect((await list({ maxResults: 100 })).body!.nextToken).toBe("");
  });

  it("takes MaxResults below 10 as 10 and above 100 as 100, as the SDK model documents", async () => {
    expect((await list({ maxResults: 3 })).body!.instances!.instance).toHaveLength(10);
    const big = (await list({ maxResults: 500 })).body!;
    expect(big.instances!.instance).toHaveLength(HANGZHOU);
    expect(big.pageSize).toBe(100);
  });

  it("filters by LockReason, and DryRun answers DryRunOperation (400) for a permitted request", async () => {
    expect(await ids({ lockReason: "security" })).toEqual(["i-act0009"]);
    await fails(list({ dryRun: true }), "ClientError", "DryRunOperation", 400);
  });

  it("pages with legacy PageNumber/PageSize", async () => {
    const page4 = (await list({ pageNumber: 4, pageSize: 10 })).body!;
    expect(page4).toMatchObject({ totalCount: HANGZHOU, pageNumber: 4, pageSize: 10 });
    expect(page4.instances!.instance).toHaveLength(HANGZHOU - 30);
    expect((await list({})).body!.instances!.instance).toHaveLength(10);
    expect((await list({ pageSize: 100 })).body!.instances!.instance).toHaveLength(HANGZHOU);
  });

  it.each([
    ["an expiry filter not in yyyy-MM-ddTHH:mmZ", { filter: [new $Ecs.DescribeInstancesRequestFilter({ key: "ExpiredStartTime", value: "2026-01-01 00:00" })] }, "InvalidFilterKey.NotFound"],
    ["a filter key it does not know", { filter: [new $Ecs.DescribeInstancesRequestFilter({ key: "ExpiresBefore", value: "2026-01-01T00:00Z" })] }, "InvalidFilterKey.NotFound"],
    ["an InstanceChargeType it does not know", { instanceChargeType: "Subscription" }, "InvalidInstanceChargeType.NotFound"],
    ["a Status it does not know", { status: "Expired" }, "InvalidStatus.NotFound"],
    ["a LockReason it does not know", { lockReason: "overdue" }, "InvalidLockReason.NotFound"],
  ])("%s → %s (404)", async (_what, extra, code) => {
    await fails(list(extra), "ClientError", code, 404);
  });

  it.each([
    ["InstanceIds that are not a JSON array", { instanceIds: "i-act0001" }, "InvalidInstanceIds.Malformed"],
    ["101 InstanceIds", { instanceIds: JSON.stringify(Array.from({ length: 101 }, (_, n) => `i-x${n}000`)) }, "InvalidParameter.ToManyInstanceIds"],
    ["21 tags", { tag: Array.from({ length: 21 }, (_, n) => new $Ecs.DescribeInstancesRequestTag({ key: `k${n}`, value: "v" })) }, "InvalidTagCount"],
    ["a tag value without its key", { tag: [new $Ecs.DescribeInstancesRequestTag({ value: "web" })] }, "InvalidTag.Mismatch"],
    ["a NextToken it never gave", { maxResults: 10, nextToken: "bm9wZQ" }, "InvalidParameter.NextToken"],
    ["PageSize 101", { pageSize: 101 }, "InvalidParameter.PageSize"],
    ["PageNumber 0", { pageNumber: 0 }, "InvalidParameter.PageNumber"],
    ["no RegionId", { regionId: undefined }, "MissingParameter.RegionId"],
  ])("%s → %s (400)", async (_what, extra, code) => {
    await fails(list(extra), "ClientError", code, 400);
  });
});

describe("DescribeInstanceAttribute", () => {
  it("returns expiry, charge type, status and region of an instance in any region", async () => {
    const body = (await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: "i-act0008" }))).body!;
    expect(body).toMatchObject({ instanceId: "i-act0008", regionId: "cn-shanghai", instanceChargeType: "PrePaid", status: "Running", requestId: expect.stringMatching(UUID) });
    expect(body.expiredTime).toBe(emulator.instance("i-act0008")!.expiredTime);
    expect((await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: "i-act0003" }))).body).toMatchObject({ instanceChargeType: "PostPaid", expiredTime: "2099-12-31T15:59Z" });
  });

  it("unknown → InvalidInstanceId.NotFound (404); none → MissingParameter.InstanceId (403)", async () => {
    await fails(ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: "i-nosuch01" })), "ClientError", "InvalidInstanceId.NotFound", 404);
    await fails(ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({})), "ClientError", "MissingParameter.InstanceId", 403);
  });
});

describe("DescribeRenewalPrice and RenewInstance", () => {
  const price = (extra: Record<string, unknown>) =>
    ecs.describeRenewalPrice(new $Ecs.DescribeRenewalPriceRequest({ regionId: "cn-hangzhou", resourceType: "instance", ...extra })).then((r) => r.body!.priceInfo!.price!);
  const renew = (extra: Record<string, unknown>) => ecs.renewInstance(new $Ecs.RenewInstanceRequest(extra));

  it.each([
    ["1 Month (the default)", {}, { originalPrice: 200, discountPrice: 0, tradePrice: 200 }],
    ["3 Month", { priceUnit: "Month", period: 3 }, { originalPrice: 600, discountPrice: 0, tradePrice: 600 }],
    ["9 Month", { priceUnit: "Month", period: 9 }, { originalPrice: 1800, discountPrice: 0, tradePrice: 1800 }],
    ["1 Year, 15% off", { priceUnit: "Year", period: 1 }, { originalPrice: 2400, discountPrice: 360, tradePrice: 2040 }],
    ["3 Year, 15% off", { priceUnit: "Year", period: 3 }, { originalPrice: 7200, discountPrice: 1080, tradePrice: 6120 }],
  ])("quotes %s from the monthly price", async (_what, extra, expected) => {
    expect({ ...(await price({ resourceId: "i-act0007", ...extra })) }).toMatchObject({ ...expected, currency: "CNY" });
  });

  it.each([
    ["Month", { period: 2, periodUnit: "Month" }, { priceUnit: "Month", period: 2 }],
    ["12 Month, priced as 1 Year", { period: 12, periodUnit: "Month" }, { priceUnit: "Year", period: 1 }],
    ["24 Month, priced as 2 Year", { period: 24, periodUnit: "Month" }, { priceUnit: "Year", period: 2 }],
    ["ExpectedRenewDay", { expectedRenewDay: 15 }, { expectedRenewDay: 15 }],
  ])("the price a preview shows (%s) is the amount RenewInstance charges", async (_what, order, quote) => {
    emulator.setBalance(10_000);
    const quoted = await price({ resourceId: "i-act0007", ...quote });
    const before = emulator.instance("i-act0007")!.expiredTime;
    const r = (await renew({ instanceId: "i-act0007", clientToken: `t-${_what.length}`, ...order })).body!;
    expect(r.orderId).toMatch(/^\d+$/);
    expect(r.requestId).toMatch(UUID);
    const [charge] = emulator.ledger();
    expect(charge).toMatchObject({ orderId: r.orderId, instanceId: "i-act0007", kind: "renew", amount: quoted.tradePrice, currency: "CNY", clientToken: `t-${_what.length}`, previousExpiredTime: before });
    expect(emulator.balance()).toBeCloseTo(10_000 - quoted.tradePrice!, 2);
    expect(emulator.instance("i-act0007")!.expiredTime).toBe(charge.newExpiredTime);
    expect(quoted.tradePrice).toBe(renewalPrice(200, "expectedRenewDay" in order ? { days: Math.round((Date.parse(charge.newExpiredTime) - Date.parse(before)) / DAY) } : { period: order.period, unit: order.periodUnit }).tradePrice);
  });

  it("renews by calendar months in UTC+8, clamped to the month's end", async () => {
    emulator.putInstance({ instanceId: "i-act0001", expiredTime: "2027-01-30T16:00Z" }); // 31 Jan 00:00 in Beijing
    await renew({ instanceId: "i-act0001", period: 1 });
    expect(emulator.ledger()[0].newExpiredTime).toBe("2027-02-27T16:00Z"); // 28 Feb 00:00 in Beijing: clamped
  });

  it("renews to the unified expiration day: 00:00 UTC+8 of that day, at least one calendar month later", async () => {
    // The account's day is 15. Expiring 8 October: 15 November. Expiring 20 October: 15 December.
    emulator.putInstance({ instanceId: "i-act0001", expiredTime: "2027-10-07T16:00Z" });
    emulator.putInstance({ instanceId: "i-act0007", expiredTime: "2027-10-19T16:00Z" });
    await renew({ instanceId: "i-act0001", expectedRenewDay: 15 });
    await renew({ instanceId: "i-act0007", expectedRenewDay: 15 });
    expect(emulator.ledger().map((c) => c.newExpiredTime)).toEqual(["2027-11-14T16:00Z", "2027-12-14T16:00Z"]);
    expect(emulator.ledger()[0]).toMatchObject({ expectedRenewDay: 15 });
    expect(emulator.ledger()[0].period).toBeUndefined();
    // Priced as the monthly price over the days added: 38 days and 56 days.
    expect(emulator.ledger().map((c) => c.amount)).toEqual([renewalPrice(100, { days: 38 }).tradePrice, renewalPrice(200, { days: 56 }).tradePrice]);
  });

  it("same ClientToken and parameters: the first OrderId and no new charge; other parameters or instance: IdempotenceParamNotMatch", async () => {
    const first = (await renew({ instanceId: "i-act0001", period: 1, periodUnit: "Month", clientToken: "same" })).body!.orderId;
    const again = (await renew({ instanceId: "i-act0001", period: 1, periodUnit: "Month", clientToken: "same" })).body!.orderId;
    expect(again).toBe(first);
    expect(emulator.ledger()).toHaveLength(1);
    expect(emulator.balance()).toBe(900);
    await fails(renew({ instanceId: "i-act0001", period: 2, periodUnit: "Month", clientToken: "same" }), "ClientError", "IdempotenceParamNotMatch", 400);
    await fails(renew({ instanceId: "i-act0001", period: 1, periodUnit: "Week", clientToken: "same" }), "ClientError", "IdempotenceParamNotMatch", 400);
    await fails(renew({ instanceId: "i-act0007", period: 1, periodUnit: "Month", clientToken: "same" }), "ClientError", "IdempotenceParamNotMatch", 400);
    // Without a token every order is a new charge.
    await renew({ instanceId: "i-act0002", period: 1 });
    await renew({ instanceId: "i-act0002", period: 1 });
    expect(emulator.ledger()).toHaveLength(3);
  });

  it("a refused order remembers nothing: the same token works once the cause is gone", async () => {
    emulator.setBalance(50);
    await fails(renew({ instanceId: "i-act0007", period: 1, clientToken: "later" }), "ClientError", "InvalidAccountStatus.NotEnoughBalance", 403);
    expect(emulator.ledger()).toEqual([]);
    expect(emulator.balance()).toBe(50);
    emulator.setBalance(1000);
    await renew({ instanceId: "i-act0007", period: 1, clientToken: "later" });
    expect(emulator.ledger()).toHaveLength(1);
  });

  it("a starter-package instance renews monthly", async () => {
    await renew({ instanceId: "i-act0006", period: 2, periodUnit: "Month" });
    expect(emulator.ledger()[0]).toMatchObject({ amount: 60 });
  });

  it.each([
    ["a Pay-As-You-Go instance", { instanceId: "i-act0003", period: 1 }, "ChargeTypeViolation", 403],
    ["a NotRenewal instance (set it Normal first)", { instanceId: "i-act0004", period: 1 }, "IncorrectInstanceStatus", 403],
    ["Period 10 Month", { instanceId: "i-act0001", period: 10, periodUnit: "Month" }, "InvalidPeriod", 400],
    ["Period 5 Week", { instanceId: "i-act0001", period: 5, periodUnit: "Week" }, "InvalidPeriod", 400],
    ["Period 0", { instanceId: "i-act0001", period: 0 }, "InvalidPeriod", 400],
    ["PeriodUnit Year", { instanceId: "i-act0001", period: 1, periodUnit: "Year" }, "InvalidPeriodUnit.ValueNotSupported", 400],
    ["an instance locked for security reasons", { instanceId: "i-act0009", period: 1 }, "InstanceLockedForSecurity", 403],
    ["a Week renewal of a starter-package instance", { instanceId: "i-act0006", period: 1, periodUnit: "Week" }, "InvalidPeriod.StarterPackage", 403],
    ["60 Month (past five years)", { instanceId: "i-act0001", period: 60, periodUnit: "Month" }, "InvalidPeriod.ExceededMaximumExpirationDate", 400],
    ["both Period and ExpectedRenewDay", { instanceId: "i-act0001", period: 1, expectedRenewDay: 3 }, "InvalidParameter.Conflict", 400],
    ["ExpectedRenewDay 29", { instanceId: "i-act0001", expectedRenewDay: 29 }, "InvalidParameter.ExpectedRenewDay", 400],
    ["an ExpectedRenewDay other than the account's unified expiration day", { instanceId: "i-act0001", expectedRenewDay: 9 }, "InvalidParameter.ExpectedRenewDay", 400],
    ["neither Period nor ExpectedRenewDay (sic: MissingParamter)", { instanceId: "i-act0001" }, "MissingParamter", 400],
    ["an unknown instance", { instanceId: "i-nosuch01", period: 1 }, "InvalidInstanceId.NotFound", 404],
    ["a malformed instance id", { instanceId: "instance-1", period: 1 }, "InvalidParameter.InvalidInstanceId", 403],
    ["no instance id", { period: 1 }, "MissingParameter.InstanceId", 403],
    ["a ClientToken of 65 characters", { instanceId: "i-act0001", period: 1, clientToken: "x".repeat(65) }, "InvalidClientToken.ValueNotSupported", 400],
    ["a non-ASCII ClientToken", { instanceId: "i-act0001", period: 1, clientToken: "续费-1" }, "InvalidClientToken.ValueNotSupported", 400],
  ])("RenewInstance refuses %s: %s (%s), charging nothing", async (_what, params, code, status) => {
    await fails(renew(params), "ClientError", code, status);
    expect(emulator.ledger()).toEqual([]);
    expect(emulator.balance()).toBe(1000);
  });

  it("RenewInstance refuses an order the balance cannot pay: InvalidAccountStatus.NotEnoughBalance (403)", async () => {
    emulator.setBalance(199.99);
    await fails(renew({ instanceId: "i-act0007", period: 1 }), "ClientError", "InvalidAccountStatus.NotEnoughBalance", 403);
    expect(emulator.ledger()).toEqual([]);
  });

  it.each([
    ["no ResourceId", { resourceId: undefined }, "MissingParameter.ResourceId", 400],
    ["ResourceType disk", { resourceId: "i-act0001", resourceType: "disk" }, "InvalidResourceType.ValueNotSupported", 400],
    ["an instance of another region", { resourceId: "i-act0008" }, "InvalidInstanceId.NotFound", 404],
    ["a Pay-As-You-Go instance", { resourceId: "i-act0003" }, "ChargeTypeViolation", 403],
    ["a yearly price of a starter-package instance", { resourceId: "i-act0006", priceUnit: "Year", period: 1 }, "InvalidPeriod.StarterPackage", 403],
    ["Period 4 Year (it prices 1–3)", { resourceId: "i-act0001", priceUnit: "Year", period: 4 }, "InvalidPeriod", 400],
    ["Period 10 Month (it prices 1–9)", { resourceId: "i-act0001", priceUnit: "Month", period: 10 }, "InvalidPeriod", 400],
    ["Period 12 Month (ask for 1 Year)", { resourceId: "i-act0001", priceUnit: "Month", period: 12 }, "InvalidPeriod", 400],
    ["PriceUnit Week", { resourceId: "i-act0001", priceUnit: "Week", period: 1 }, "InvalidPriceUnit.ValueNotSupported", 400],
    ["PriceUnit Day", { resourceId: "i-act0001", priceUnit: "Day", period: 1 }, "InvalidPriceUnit.ValueNotSupported", 400],
    ["ExpectedRenewDay 0", { resourceId: "i-act0001", expectedRenewDay: 0 }, "InvalidParameter.ExpectedRenewDay", 400],
    ["an ExpectedRenewDay other than the account's", { resourceId: "i-act0001", expectedRenewDay: 3 }, "InvalidParameter.ExpectedRenewDay", 400],
    ["no RegionId", { resourceId: "i-act0001", regionId: undefined }, "MissingParameter.RegionId", 400],
  ])("DescribeRenewalPrice refuses %s: %s (%s)", async (_what, extra, code, status) => {
    await fails(price(extra), "ClientError", code, status);
  });
});
