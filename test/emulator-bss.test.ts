// BSS QueryAvailableInstances and ECS DescribeRegions through the unmodified official SDKs: filters, paging,
// the live view of ECS instances (product ecs), lifecycle, and each error as the SDK raises it.
import * as $Bss from "@alicloud/bssopenapi20171214";
import * as $Ecs from "@alicloud/ecs20140526";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type FleetFile } from "./emulator";
import { bssClient, type BssClient } from "./emulator/bss/sdk";
import { ecsClient, sdkFailure, type EcsClient } from "./emulator/sdk";

const DAY = 86_400_000;
const NOW = "2030-03-01T00:00:00Z";
const FLEET: FleetFile = {
  instances: [
    { instanceId: "i-bss0001", expiresInDays: 10, renewalStatus: "Normal" },
    { instanceId: "i-bss0002", regionId: "cn-shanghai", expiresInDays: 40, renewalStatus: "AutoRenewal", duration: 2, periodUnit: "Year" },
    { instanceId: "i-bss0003", instanceChargeType: "PostPaid" },
  ],
  subscriptions: [
    { productCode: "rds", productType: "rds", instanceId: "rm-bss0001", region: "cn-hangzhou", endTime: "2030-03-20T16:00:00Z", renewStatus: "AutoRenewal", renewalDuration: 1, renewalDurUnit: "M" },
    { productCode: "rds", instanceId: "rm-bss0002", region: "cn-beijing", expiresInDays: 3, renewStatus: "NotRenewal" },
    { productCode: "slb", instanceId: "lb-bss0001", region: "cn-hangzhou", expiresInDays: 90 },
    { productCode: "oss", instanceId: "oss-bss-plan", region: "cn-hangzhou", subscriptionType: "PayAsYouGo" },
    ...Array.from({ length: 30 }, (_, n) => ({ productCode: "cdn", instanceId: `cdn-page${String(n).padStart(3, "0")}`, expiresInDays: 100 + n })),
  ],
};

let emulator: Emulator;
let bss: BssClient;
let ecs: EcsClient;

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true, now: NOW });
  bss = bssClient(emulator);
  ecs = ecsClient(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const query = (q: Record<string, unknown> = {}) => bss.queryAvailableInstances(new $Bss.QueryAvailableInstancesRequest(q));

describe("QueryAvailableInstances", () => {
  it("answers the documented body: Success, Code, Data with PageNum, PageSize (default 20), TotalCount, InstanceList", async () => {
    const body = (await query()).body!;
    expect(body).toMatchObject({ code: "Success", message: "Successful!", success: true, requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) });
    expect(body.data).toMatchObject({ pageNum: 1, pageSize: 20, totalCount: 37 });
    expect(body.data!.instanceList).toHaveLength(20);
  });

  it("shows every ECS instance as product ecs, read live from ECS: renewal status, duration and unit, release date", async () => {
    const rows = (await query({ productCode: "ecs", pageSize: 100 })).body!.data!.instanceList!.map((r) => ({ ...r }));
    expect(rows.map((r) => r.instanceID)).toEqual(["i-bss0001", "i-bss0002", "i-bss0003"]);
    expect(rows[0]).toMatchObject({ productCode: "ecs", region: "cn-hangzhou", subscriptionType: "Subscription", renewStatus: "ManualRenewal", renewalDuration: 0, endTime: "2030-03-11T00:00:00Z", status: "Normal" });
    expect(rows[1]).toMatchObject({ region: "cn-shanghai", renewStatus: "AutoRenewal", renewalDuration: 2, renewalDurationUnit: "Y" });
    expect(rows[2]).toMatchObject({ subscriptionType: "PayAsYouGo" });
    expect(rows[2].endTime).toBeUndefined();
    // The release date follows the emulator's ECS release rule.
    const release = Date.parse(rows[0].expectedReleaseTime!) - Date.parse(rows[0].endTime!);
    expect(release % DAY).toBe(0);
    expect(release / DAY).toBeGreaterThanOrEqual(7);

    // A change made through ECS shows in BSS at once.
    await ecs.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: "i-bss0001", renewalStatus: "NotRenewal" }));
    const after = (await query({ instanceIDs: "i-bss0001" })).body!.data!.instanceList!;
    expect(after.map((r) => r.renewStatus)).toEqual(["NotRenewal"]);
  });

  it("filters by product, product type, region (with a product), subscription type, renewal status, ids and end-time window", async () => {
    const ids = async (q: Record<string, unknown>) => (await query({ pageSize: 300, ...q })).body!.data!.instanceList!.map((r) => r.instanceID);
    expect(await ids({ productCode: "rds" })).toEqual(["rm-bss0001", "rm-bss0002"]);
    expect(await ids({ productCode: "rds", region: "cn-beijing" })).toEqual(["rm-bss0002"]);
    expect(await ids({ productType: "slb" })).toEqual(["lb-bss0001"]);
    expect(await ids({ subscriptionType: "PayAsYouGo" })).toEqual(["i-bss0003", "oss-bss-plan"]);
    expect(await ids({ renewStatus: "AutoRenewal" })).toEqual(["i-bss0002", "rm-bss0001"]);
    expect(await ids({ instanceIDs: "rm-bss0002,lb-bss0001,nope" })).toEqual(["lb-bss0001", "rm-bss0002"]);
    expect(await ids({ endTimeStart: "2030-03-01T00:00:00Z", endTimeEnd: "2030-03-21T00:00:00Z" })).toEqual(["i-bss0001", "rm-bss0001", "rm-bss0002"]);
  });

  it("pages with PageNum and PageSize; TotalCount counts every match", async () => {
    const pages = [];
    for (let n = 1; n <= 3; n++) pages.push((await query({ productCode: "cdn", pageSize: 12, pageNum: n })).body!.data!);
    expect(pages.map((p) => [p.totalCount, p.pageNum, p.instanceList!.length])).toEqual([[30, 1, 12], [30, 2, 12], [30, 3, 6]]);
    expect(new Set(pages.flatMap((p) => p.instanceList!.map((r) => r.instanceID))).size).toBe(30);
  });

  it("expires and releases subscriptions on the emulator's clock", async () => {
    emulator.clock.advance(4 * DAY);
    const expired = (await query({ instanceIDs: "rm-bss0002" })).body!.data!.instanceList![0];
    expect(expired).toMatchObject({ status: "Expired", stopTime: expired.endTime });
    emulator.clock.set(Date.parse(expired.expectedReleaseTime!) + 60_000);
    expect((await query({ instanceIDs: "rm-bss0002" })).body!.data!.totalCount).toBe(0);
  });

  it("refuses what the documentation does not allow, with Success false in the body", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ region: "cn-hangzhou" }, "InvalidParameter.ProductCode"],
      [{ pageSize: 301 }, "InvalidParameter.PageSize"],
      [{ pageNum: 0 }, "InvalidParameter.PageNum"],
      [{ instanceIDs: Array.from({ length: 101 }, (_, n) => `rm-${n}`).join(",") }, "InvalidParameter.InstanceIDs"],
      [{ endTimeStart: "2030-03-01" }, "InvalidParameter.EndTimeStart"],
      [{ renewStatus: "Normal" }, "InvalidParameter.RenewStatus"],
      [{ subscriptionType: "PrePaid" }, "InvalidParameter.SubscriptionType"],
    ];
    for (const [q, code] of cases) {
      const f = await sdkFailure(query(q));
      expect(f, code).toMatchObject({ name: "ClientError", code, statusCode: 400 });
      expect(f.data).toMatchObject({ Success: false, HostId: "business.aliyuncs.com" });
    }
  });

  it("goes through the same gateway as ECS: signature, faults, and the call log", async () => {
    const wrong = await sdkFailure(bssClient(emulator, { accessKeySecret: "wrong" }).queryAvailableInstances(new $Bss.QueryAvailableInstancesRequest({})));
    expect(wrong).toMatchObject({ code: "SignatureDoesNotMatch", statusCode: 400 });
    emulator.faults.add({ action: "QueryAvailableInstances", kind: "throttle", perSecond: 0, times: 1 });
    expect(await sdkFailure(query())).toMatchObject({ name: "ThrottlingError", code: "Throttling.User" });
    await query({ instanceIDs: "rm-bss0001" });
    expect(emulator.calls().slice(-2).map((c) => [c.action, c.outcome, c.instanceIds])).toEqual([
      ["QueryAvailableInstances", "Throttling.User", []],
      ["QueryAvailableInstances", "ok", ["rm-bss0001"]],
    ]);
  });

  it("refuses a fleet whose subscriptions are malformed, naming the entry", async () => {
    await expect(startEmulator({ quiet: true, fleet: { instances: [], subscriptions: [{ productCode: "ecs", instanceId: "i-x1234" }] } })).rejects.toThrow(/ECS instances go under "instances"/);
    await expect(startEmulator({ quiet: true, fleet: { instances: [], subscriptions: [{ productCode: "RDS", instanceId: "rm-1" }] } })).rejects.toThrow(/lower-case BSS product code/);
    await expect(startEmulator({ quiet: true, fleet: { instances: [], subscriptions: [{ productCode: "rds", instanceId: "rm-1", renewStatus: "Normal" as never }] } })).rejects.toThrow(/renewStatus must be one of/);
  });
});

describe("DescribeRegions", () => {
  it("lists the public regions plus the fleet's own, named in the language asked for, without a RegionId", async () => {
    const zh = (await ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}))).body!.regions!.region!;
    expect(zh.find((r) => r.regionId === "cn-hangzhou")).toMatchObject({ localName: "华东1（杭州）", regionEndpoint: "ecs.cn-hangzhou.aliyuncs.com", status: "available" });
    expect(zh.length).toBeGreaterThan(20);
    const en = (await ecs.describeRegions(new $Ecs.DescribeRegionsRequest({ acceptLanguage: "en-US", instanceChargeType: "PrePaid", resourceType: "instance" }))).body!.regions!.region!;
    expect(en.find((r) => r.regionId === "cn-shanghai")!.localName).toBe("China (Shanghai)");
  });

  it("answers the fleet's `regions` when it has them, and refuses values outside the documented sets", async () => {
    emulator.reset({ ...FLEET, regions: ["cn-hangzhou", "cn-shanghai", "cn-beijing"] });
    const ids = (await ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}))).body!.regions!.region!.map((r) => r.regionId);
    expect(ids).toEqual(["cn-hangzhou", "cn-shanghai", "cn-beijing"]);
    expect(await sdkFailure(ecs.describeRegions(new $Ecs.DescribeRegionsRequest({ instanceChargeType: "Monthly" })))).toMatchObject({ code: "InvalidParameter.InstanceChargeType", statusCode: 400 });
    expect(await sdkFailure(ecs.describeRegions(new $Ecs.DescribeRegionsRequest({ acceptLanguage: "xx" })))).toMatchObject({ code: "InvalidParameter.AcceptLanguage", statusCode: 400 });
  });
});
