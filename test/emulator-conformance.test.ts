// The ECS emulator as the unmodified official SDK sees it: signatures, every action, the documented
// errors (class, code, HTTP status, request id), pagination, client tokens, the clock and fault rules.
import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import Ecs, * as $Ecs from "@alicloud/ecs20140526";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type FleetFile } from "./emulator";

const DAY = 86_400_000;
const FLEET: FleetFile = {
  balance: 1000,
  instances: [
    { instanceId: "i-conf0001", expiresInDays: 40, renewalStatus: "Normal", monthlyPrice: 100, tags: { team: "web" } },
    { instanceId: "i-conf0002", expiresInDays: 60, renewalStatus: "AutoRenewal", duration: 3, periodUnit: "Month", monthlyPrice: 100, tags: { team: "web" } },
    { instanceId: "i-conf0003", instanceChargeType: "PostPaid", monthlyPrice: 100 },
    { instanceId: "i-conf0004", expiresInDays: 30, renewalStatus: "NotRenewal", monthlyPrice: 100 },
    { instanceId: "i-conf0005", expiresInDays: 0.5, renewalStatus: "Normal", monthlyPrice: 100 },
    { instanceId: "i-conf0006", expiresInDays: 50, renewalStatus: "Normal", monthlyPrice: 30, starterPackage: true },
    { instanceId: "i-conf0007", expiresInDays: 20, renewalStatus: "Normal", monthlyPrice: 200, tags: { team: "db" } },
    { instanceId: "i-conf0008", regionId: "cn-shanghai", expiresInDays: 20, renewalStatus: "Normal", monthlyPrice: 100 },
    ...Array.from({ length: 25 }, (_, n) => ({ instanceId: `i-page${String(n).padStart(4, "0")}`, expiresInDays: 100 + n, monthlyPrice: 10 })),
  ],
};

let emulator: Emulator;
let ecs: InstanceType<typeof Ecs>;

function client(accessKeyId = "LTAIemulator", accessKeySecret = "emulator-secret", extra: Record<string, unknown> = {}, em = emulator) {
  return new Ecs(new $OpenApiUtil.Config({ accessKeyId, accessKeySecret, endpoint: em.endpoint, protocol: "http", regionId: "cn-hangzhou", ...extra }));
}

/** The SDK's thrown error, for assertions on its class, code, status and request id. */
async function failure(call: Promise<unknown>): Promise<{ name: string; code: string; statusCode: number; requestId: string; message: string; retryAfter?: number }> {
  try {
    await call;
  } catch (e) {
    const err = e as { name: string; code: string; statusCode: number; data?: { RequestId?: string }; message: string; retryAfter?: number };
    return { name: err.name, code: err.code, statusCode: err.statusCode, requestId: err.data?.RequestId ?? "", message: err.message, retryAfter: err.retryAfter };
  }
  throw new Error("expected the call to fail");
}

const renewAttr = (ids: string, extra = {}) => ecs.describeInstanceAutoRenewAttribute(new $Ecs.DescribeInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: ids, ...extra }));
const modify = (ids: string, extra: Record<string, unknown>, c = ecs) => c.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: ids, ...extra }));
const renew = (extra: Record<string, unknown>, c = ecs) => c.renewInstance(new $Ecs.RenewInstanceRequest(extra));

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true, keys: [
    { accessKeyId: "LTAIemulator", accessKeySecret: "emulator-secret" },
    { accessKeyId: "LTAIreadonly", accessKeySecret: "ro-secret", readOnly: true },
    { accessKeyId: "STS.temporary", accessKeySecret: "sts-secret", securityToken: "token-123" },
  ] });
  ecs = client();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset(FLEET);
  emulator.setBalance(1000);
});

describe("signatures", () => {
  it("accepts the SDK's ACS3-HMAC-SHA256 requests and an STS key with its token", async () => {
    expect((await renewAttr("i-conf0001")).body?.requestId).toMatch(/^[0-9A-F-]{36}$/);
    const sts = client("STS.temporary", "sts-secret", { securityToken: "token-123" });
    expect((await sts.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou" }))).statusCode).toBe(200);
  });

  it("rejects an unknown key, a wrong secret, a wrong STS token, and a missing signature", async () => {
    expect(await failure(client("LTAInobody").describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou" })))).toMatchObject({ name: "ClientError", code: "InvalidAccessKeyId.NotFound", statusCode: 404 });
    expect(await failure(client("LTAIemulator", "wrong").describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou" })))).toMatchObject({ code: "SignatureDoesNotMatch", statusCode: 400 });
    const badToken = client("STS.temporary", "sts-secret", { securityToken: "other" });
    expect(await failure(badToken.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou" })))).toMatchObject({ code: "InvalidSecurityToken.MismatchWithAccessKey" });
    const raw = await fetch(`${emulator.url}/?RegionId=cn-hangzhou`, { method: "POST", headers: { "x-acs-action": "DescribeInstances", "x-acs-version": "2014-05-26" } });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ Code: "IncompleteSignature", RequestId: expect.any(String), Message: expect.any(String) });
  });

  it("a read-only key may read but every write fails with Forbidden.RAM naming the action", async () => {
    const ro = client("LTAIreadonly", "ro-secret");
    await expect(ro.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou" }))).resolves.toBeDefined();
    const f = await failure(modify("i-conf0001", { renewalStatus: "AutoRenewal", duration: 1 }, ro));
    expect(f).toMatchObject({ name: "ClientError", code: "Forbidden.RAM", statusCode: 403 });
    expect(f.message).toContain("ecs:ModifyInstanceAutoRenewAttribute");
    expect((await failure(renew({ instanceId: "i-conf0001", period: 1, periodUnit: "Month" }, ro))).message).toContain("ecs:RenewInstance");
    expect(emulator.ledger()).toEqual([]);
  });

  it("an unknown action is InvalidAction.NotFound", async () => {
    const f = await failure(ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
    expect(f).toMatchObject({ code: "InvalidAction.NotFound", statusCode: 404 });
  });
});

describe("DescribeInstanceAutoRenewAttribute", () => {
  it("returns attributes for up to 100 ids, leaving unknown ones out", async () => {
    const body = (await renewAttr("i-conf0001,i-conf0002,i-gone0001", { pageSize: "100" })).body!;
    expect(body.totalCount).toBe(2);
    expect(body.instanceRenewAttributes!.instanceRenewAttribute!.map((a) => [a.instanceId, a.renewalStatus, a.autoRenewEnabled, a.duration, a.periodUnit])).toEqual([
      ["i-conf0001", "Normal", false, 0, "Month"],
      ["i-conf0002", "AutoRenewal", true, 3, "Month"],
    ]);
  });

  it("filters by RenewalStatus and pages", async () => {
    const page1 = (await renewAttr("", { renewalStatus: "Normal", pageSize: "10", pageNumber: "1" })).body!;
    const page3 = (await renewAttr("", { renewalStatus: "Normal", pageSize: "10", pageNumber: "3" })).body!;
    expect(page1.totalCount).toBe(29);
    expect(page1.instanceRenewAttributes!.instanceRenewAttribute).toHaveLength(10);
    expect(page3.instanceRenewAttributes!.instanceRenewAttribute).toHaveLength(9);
  });

  it("validates its parameters", async () => {
    expect(await failure(renewAttr(""))).toMatchObject({ code: "MissingParameter.InstanceId", statusCode: 403 });
    const many = Array.from({ length: 101 }, (_, n) => `i-x${String(n).padStart(4, "0")}`).join(",");
    expect(await failure(renewAttr(many))).toMatchObject({ code: "InvalidParameter.ToManyInstanceIds", statusCode: 403 });
    expect(await failure(renewAttr("I-BAD"))).toMatchObject({ code: "InvalidParameter.InvalidInstanceId", statusCode: 403 });
    expect(await failure(renewAttr("i-conf0003"))).toMatchObject({ code: "ChargeTypeViolation", statusCode: 403 });
  });
});

describe("ModifyInstanceAutoRenewAttribute", () => {
  it("sets up to 100 instances in one call; RenewalStatus wins over AutoRenew", async () => {
    await modify("i-conf0001,i-conf0007", { renewalStatus: "AutoRenewal", autoRenew: false, duration: 6, periodUnit: "Month" });
    expect(emulator.instance("i-conf0001")).toMatchObject({ renewalStatus: "AutoRenewal", duration: 6, periodUnit: "Month" });
    expect(emulator.instance("i-conf0007")).toMatchObject({ renewalStatus: "AutoRenewal", duration: 6 });
    await modify("i-conf0001", { autoRenew: false });
    expect(emulator.instance("i-conf0001")!.renewalStatus).toBe("Normal");
    await modify("i-conf0007", { renewalStatus: "NotRenewal" });
    expect(emulator.instance("i-conf0007")!.renewalStatus).toBe("NotRenewal");
  });

  it.each([
    [{ renewalStatus: "AutoRenewal", duration: 5, periodUnit: "Month" }, "i-conf0001", "InvalidParameter.Duration", 403],
    [{ renewalStatus: "AutoRenewal", duration: 6, periodUnit: "Year" }, "i-conf0001", "InvalidParameter.Duration", 403],
    [{ renewalStatus: "AutoRenewal", duration: 1, periodUnit: "Day" }, "i-conf0001", "InvalidPeriodUnit.ValueNotSupported", 403],
    [{ renewalStatus: "Auto" }, "i-conf0001", "InvalidParameter.RenewalStatus", 403],
    [{ renewalStatus: "AutoRenewal", duration: 1 }, "i-conf0003", "ChargeTypeViolation", 403],
    [{ renewalStatus: "AutoRenewal", duration: 1, periodUnit: "Year" }, "i-conf0006", "InvalidPeriod.StarterPackage", 403],
    [{ renewalStatus: "AutoRenewal", duration: 1 }, "i-conf0004", "InvalidParameter.RenewalStatus", 403],
    [{ renewalStatus: "AutoRenewal", duration: 1 }, "i-conf0005", "IncorrectInstanceStatus", 403],
    [{ renewalStatus: "AutoRenewal", duration: 1 }, "i-nosuch01", "InvalidInstanceId.NotFound", 404],
    [{ renewalStatus: "AutoRenewal", duration: 1 }, "i-conf0008", "InvalidInstanceId.NotFound", 404],
    [{ renewalStatus: "AutoRenewal", duration: 1 }, "", "MissingParameter.InstanceId", 403],
  ])("%o on %s → %s", async (params, ids, code, status) => {
    expect(await failure(modify(ids, params))).toMatchObject({ name: "ClientError", code, statusCode: status, requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) });
  });

  it("applies to all or none: one bad id fails the call and names it", async () => {
    const f = await failure(modify("i-conf0001,i-conf0003", { renewalStatus: "AutoRenewal", duration: 1 }));
    expect(f.message).toContain("i-conf0003");
    expect(emulator.instance("i-conf0001")!.renewalStatus).toBe("Normal");
  });

  it("a NotRenewal instance goes to Normal first, then to AutoRenewal", async () => {
    await modify("i-conf0004", { renewalStatus: "Normal" });
    await modify("i-conf0004", { renewalStatus: "AutoRenewal", duration: 1 });
    expect(emulator.instance("i-conf0004")!.renewalStatus).toBe("AutoRenewal");
  });
});

describe("DescribeInstances and DescribeInstanceAttribute", () => {
  const describe_ = (extra: Record<string, unknown>) => ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou", ...extra }));

  it("filters by ids, charge type, status and tags", async () => {
    const byIds = (await describe_({ instanceIds: JSON.stringify(["i-conf0001", "i-conf0003", "i-conf0008"]) })).body!;
    expect(byIds.instances!.instance!.map((i) => [i.instanceId, i.instanceChargeType])).toEqual([["i-conf0001", "PrePaid"], ["i-conf0003", "PostPaid"]]);
    const web = (await describe_({ tag: [new $Ecs.DescribeInstancesRequestTag({ key: "team", value: "web" })] })).body!;
    expect(web.instances!.instance!.map((i) => i.instanceId)).toEqual(["i-conf0001", "i-conf0002"]);
    expect(web.instances!.instance![0].tags!.tag![0]).toMatchObject({ tagKey: "team", tagValue: "web" });
    expect((await describe_({ instanceChargeType: "PostPaid" })).body!.totalCount).toBe(1);
    expect((await describe_({ status: "Stopped" })).body!.totalCount).toBe(0);
  });

  it("selects by expiry window with ExpiredStartTime/ExpiredEndTime", async () => {
    const fmt = (d: number) => new Date(d).toISOString().slice(0, 16) + "Z";
    const now = emulator.clock.now().getTime();
    const filter = [
      new $Ecs.DescribeInstancesRequestFilter({ key: "ExpiredStartTime", value: fmt(now) }),
      new $Ecs.DescribeInstancesRequestFilter({ key: "ExpiredEndTime", value: fmt(now + 45 * DAY) }),
    ];
    const ids = (await describe_({ filter, instanceChargeType: "PrePaid", maxResults: 100 })).body!.instances!.instance!.map((i) => i.instanceId);
    expect(ids).toEqual(["i-conf0001", "i-conf0004", "i-conf0005", "i-conf0007"]);
    const bad = [new $Ecs.DescribeInstancesRequestFilter({ key: "ExpiredStartTime", value: "2026-01-01 00:00" })];
    expect(await failure(describe_({ filter: bad }))).toMatchObject({ code: "InvalidParameter.Filter", statusCode: 400 });
  });

  it("pages with MaxResults + NextToken and with PageNumber/PageSize", async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let calls = 0;
    do {
      const body = (await describe_({ maxResults: 10, ...(nextToken ? { nextToken } : {}) })).body!;
      seen.push(...body.instances!.instance!.map((i) => i.instanceId!));
      nextToken = body.nextToken || undefined;
      calls++;
    } while (nextToken);
    expect(calls).toBe(4);
    expect(new Set(seen).size).toBe(32);
    const legacy = (await describe_({ pageNumber: 4, pageSize: 10 })).body!;
    expect(legacy.instances!.instance).toHaveLength(2);
    expect(legacy.totalCount).toBe(32);
  });

  it("DescribeInstanceAttribute returns expiry, charge type and status, or NotFound", async () => {
    const body = (await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: "i-conf0002" }))).body!;
    expect(body).toMatchObject({ instanceId: "i-conf0002", instanceChargeType: "PrePaid", status: "Running" });
    expect(body.expiredTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    expect(await failure(ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: "i-nosuch01" })))).toMatchObject({ code: "InvalidInstanceId.NotFound", statusCode: 404 });
  });
});

describe("RenewInstance and DescribeRenewalPrice", () => {
  it("quotes the price it then charges, and shows the new expiry after the visibility delay", async () => {
    const price = (await ecs.describeRenewalPrice(new $Ecs.DescribeRenewalPriceRequest({ regionId: "cn-hangzhou", resourceId: "i-conf0007", resourceType: "instance", priceUnit: "Month", period: 2 }))).body!.priceInfo!.price!;
    expect(price).toMatchObject({ tradePrice: 400, originalPrice: 400, currency: "CNY" });
    const before = emulator.instance("i-conf0007")!.expiredTime;
    const order = (await renew({ instanceId: "i-conf0007", period: 2, periodUnit: "Month", clientToken: "t-1" })).body!;
    expect(order.orderId).toMatch(/^\d+$/);
    expect(emulator.ledger()).toEqual([expect.objectContaining({ orderId: order.orderId, instanceId: "i-conf0007", kind: "renew", period: 2, periodUnit: "Month", amount: 400, clientToken: "t-1", previousExpiredTime: before })]);
    expect(emulator.balance()).toBe(600);
    expect(emulator.instance("i-conf0007")!.expiredTime).toBe(before);
    await new Promise((r) => setTimeout(r, 600));
    expect(emulator.instance("i-conf0007")!.expiredTime).toBe(emulator.ledger()[0].newExpiredTime);
    expect(Date.parse(emulator.ledger()[0].newExpiredTime) - Date.parse(before)).toBeGreaterThan(58 * DAY);
  });

  it("same ClientToken and parameters: the first order, no second charge; other parameters: IdempotentParameterMismatch", async () => {
    const first = (await renew({ instanceId: "i-conf0001", period: 1, periodUnit: "Month", clientToken: "same" })).body!.orderId;
    const again = (await renew({ instanceId: "i-conf0001", period: 1, periodUnit: "Month", clientToken: "same" })).body!.orderId;
    expect(again).toBe(first);
    expect(emulator.ledger()).toHaveLength(1);
    expect(await failure(renew({ instanceId: "i-conf0001", period: 2, periodUnit: "Month", clientToken: "same" }))).toMatchObject({ code: "IdempotentParameterMismatch", statusCode: 400 });
  });

  it("a second order while the first is processing is LastOrderProcessing", async () => {
    await renew({ instanceId: "i-conf0002", period: 1, clientToken: "a" });
    expect(await failure(renew({ instanceId: "i-conf0002", period: 1, clientToken: "b" }))).toMatchObject({ code: "LastOrderProcessing", statusCode: 400 });
  });

  it("renews to a unified expiry day with ExpectedRenewDay", async () => {
    await renew({ instanceId: "i-conf0001", expectedRenewDay: 15, clientToken: "day" });
    const charge = emulator.ledger()[0];
    expect(charge.expectedRenewDay).toBe(15);
    expect(new Date(Date.parse(charge.newExpiredTime) + 8 * 3_600_000).getUTCDate()).toBe(15);
  });

  it.each([
    [{ instanceId: "i-conf0003", period: 1 }, "ChargeTypeViolation", 403],
    [{ instanceId: "i-conf0004", period: 1 }, "IncorrectInstanceStatus", 403],
    [{ instanceId: "i-conf0001", period: 10, periodUnit: "Month" }, "InvalidPeriod", 400],
    [{ instanceId: "i-conf0001", period: 5, periodUnit: "Week" }, "InvalidPeriod", 400],
    [{ instanceId: "i-conf0006", period: 1, periodUnit: "Week" }, "InvalidPeriod.StarterPackage", 403],
    [{ instanceId: "i-conf0001", period: 60, periodUnit: "Month" }, "InvalidPeriod.ExceededMaximumExpirationDate", 400],
    [{ instanceId: "i-conf0001", period: 1, expectedRenewDay: 3 }, "InvalidParameter.Conflict", 400],
    [{ instanceId: "i-conf0001", expectedRenewDay: 29 }, "InvalidParameter.ExpectedRenewDay", 400],
    [{ instanceId: "i-nosuch01", period: 1 }, "InvalidInstanceId.NotFound", 404],
    [{ instanceId: "i-conf0001", period: 1, clientToken: "x".repeat(65) }, "InvalidClientToken.ValueNotSupported", 400],
  ])("%o → %s", async (params, code, status) => {
    expect(await failure(renew(params))).toMatchObject({ code, statusCode: status });
    expect(emulator.ledger()).toEqual([]);
  });

  it("refuses an order the balance cannot pay, charging nothing", async () => {
    emulator.setBalance(50);
    expect(await failure(renew({ instanceId: "i-conf0007", period: 1 }))).toMatchObject({ code: "InvalidAccountStatus.NotEnoughBalance", statusCode: 403 });
    expect(emulator.ledger()).toEqual([]);
    expect(emulator.balance()).toBe(50);
  });
});

describe("the clock", () => {
  it("an expired instance stops with a financial lock, and is released on the 8th day", async () => {
    emulator.clock.advance(21 * DAY);
    expect(emulator.instance("i-conf0007")).toMatchObject({ status: "Stopped", lockReasons: ["financial"] });
    // Renewing an expired instance is how one recovers it.
    await renew({ instanceId: "i-conf0007", period: 1, clientToken: "rescue" });
    expect(emulator.instance("i-conf0007")!.status).toBe("Running");
    emulator.clock.advance(8 * DAY);
    expect(emulator.instance("i-conf0005")).toBeUndefined();
    expect(await failure(ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: "i-conf0005" })))).toMatchObject({ code: "InvalidInstanceId.NotFound" });
  });

  it("auto-renew deducts on the 9th day before expiry from 08:00 UTC+8, and retries daily when the balance is short", async () => {
    const expiry = Date.parse(emulator.instance("i-conf0002")!.expiredTime);
    emulator.clock.set(expiry - 10 * DAY);
    expect(emulator.ledger()).toEqual([]);
    emulator.setBalance(10);
    emulator.clock.set(expiry - 8.5 * DAY);
    expect(emulator.ledger()).toEqual([]);
    emulator.setBalance(1000);
    emulator.clock.set(expiry - 7 * DAY);
    const [charge] = emulator.ledger();
    expect(charge).toMatchObject({ instanceId: "i-conf0002", kind: "auto-renew", period: 3, periodUnit: "Month", amount: 300 });
    expect(new Date(charge.time).getUTCHours()).toBe(0); // 08:00 in UTC+8
    expect(Date.parse(emulator.instance("i-conf0002")!.expiredTime)).toBeGreaterThan(expiry + 88 * DAY);
  });
});

describe("fault rules", () => {
  const describeOne = () => renewAttr("i-conf0001");

  it("latency", async () => {
    emulator.faults.add({ action: "*", kind: "latency", ms: 150, times: 1 });
    const t = Date.now();
    await describeOne();
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
  });

  it("throttle answers Throttling.User with x-acs-retry-after, which the SDK reads", async () => {
    emulator.faults.add({ action: "DescribeInstanceAutoRenewAttribute", kind: "throttle", perSecond: 2 });
    await describeOne();
    await describeOne();
    expect(await failure(describeOne())).toMatchObject({ name: "ThrottlingError", code: "Throttling.User", statusCode: 400, retryAfter: 200 });
  });

  it("error by code and status, for a number of calls", async () => {
    emulator.faults.add({ action: "DescribeInstanceAutoRenewAttribute", kind: "error", code: "ServiceUnavailable", status: 503, times: 1 });
    expect(await failure(describeOne())).toMatchObject({ name: "ServerError", code: "ServiceUnavailable", statusCode: 503 });
    await expect(describeOne()).resolves.toBeDefined();
  });

  it("drop cuts the connection without an answer", async () => {
    emulator.faults.add({ action: "*", kind: "drop", times: 1 });
    const f = await failure(describeOne());
    expect(f.statusCode).toBeUndefined();
    expect(emulator.calls().at(-1)).toMatchObject({ outcome: "dropped", fault: "drop" });
  });

  it("apply-then-fail makes the change, then answers 500 or drops: the caller cannot know it was charged", async () => {
    emulator.faults.add({ action: "RenewInstance", kind: "apply-then-fail", times: 1 });
    expect(await failure(renew({ instanceId: "i-conf0001", period: 1, clientToken: "atf-1" }))).toMatchObject({ code: "InternalError", statusCode: 500 });
    expect(emulator.ledger()).toHaveLength(1);
    emulator.faults.add({ action: "RenewInstance", kind: "apply-then-fail", drop: true, times: 1 });
    expect((await failure(renew({ instanceId: "i-conf0007", period: 1, clientToken: "atf-2" }))).statusCode).toBeUndefined();
    expect(emulator.ledger()).toHaveLength(2);
    // The same token afterwards returns the order that was placed, charging nothing more.
    await new Promise((r) => setTimeout(r, 600));
    const retry = (await renew({ instanceId: "i-conf0007", period: 1, clientToken: "atf-2" })).body!.orderId;
    expect(retry).toBe(emulator.ledger()[1].orderId);
    expect(emulator.ledger()).toHaveLength(2);
  });

  it("the admin API drives faults, instances, the clock and the ledger from another process", async () => {
    const post = (p: string, body: unknown) => fetch(`${emulator.url}/_emulator/${p}`, { method: "POST", body: JSON.stringify(body) });
    await post("faults", { action: "DescribeInstanceAutoRenewAttribute", kind: "error", code: "InternalError", times: 1 });
    expect(await failure(describeOne())).toMatchObject({ code: "InternalError", statusCode: 500 });
    await post("instances", { instanceId: "i-admin0001", expiresInDays: 3 });
    expect((await renewAttr("i-admin0001")).body!.totalCount).toBe(1);
    await post("clock", { advanceMs: 4 * DAY });
    const instances = (await (await fetch(`${emulator.url}/_emulator/instances`)).json()) as Array<{ instanceId: string; status: string }>;
    expect(instances.find((i) => i.instanceId === "i-admin0001")!.status).toBe("Stopped");
    const calls = (await (await fetch(`${emulator.url}/_emulator/calls`)).json()) as Array<{ action: string; outcome: string }>;
    expect(calls.map((c) => c.outcome)).toContain("InternalError");
    expect(await (await fetch(`${emulator.url}/_emulator/ledger`)).json()).toEqual([]);
  });
});

describe("the CLI", () => {
  it("prints its address first and answers the SDK", async () => {
    const root = path.resolve(__dirname, "..");
    const child = spawn(process.execPath, [require.resolve("tsx/cli"), path.join(root, "test/emulator/cli.ts"), "--port", "0", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const first = await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout! }).once("line", resolve));
      const m = /^ECS emulator listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(first);
      expect(m).not.toBeNull();
      const c = new Ecs(new $OpenApiUtil.Config({ accessKeyId: "LTAIemulator", accessKeySecret: "emulator-secret", endpoint: `127.0.0.1:${m![1]}`, protocol: "http", regionId: "cn-hangzhou" }));
      const body = (await c.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou", maxResults: 100 }))).body!;
      expect(body.instances!.instance!.map((i) => i.instanceId)).toContain("i-bp1demo000000000001");
    } finally {
      child.kill("SIGTERM");
    }
  });
});
