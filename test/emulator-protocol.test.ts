// The emulator's protocol as the unmodified official SDK sees it: signatures (ACS3-HMAC-SHA256, STS),
// error bodies and the SDK error classes they make, request ids, read-only keys, and the admin API.
import * as $Ecs from "@alicloud/ecs20140526";
import { ClientError } from "@alicloud/openapi-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MODELLED_ACTIONS, startEmulator, type CallRecord, type Charge, type Emulator, type FaultRule, type FleetFile, type InstanceRecord } from "./emulator";
import { admin, ecsClient, resend, sdkFailure, signedFetch, type EcsClient } from "./emulator/sdk";

const DAY = 86_400_000;
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const FLEET: FleetFile = {
  balance: 1000,
  instances: [
    { instanceId: "i-proto0001", expiresInDays: 40, monthlyPrice: 100 },
    { instanceId: "i-proto0002", expiresInDays: 60, renewalStatus: "AutoRenewal", duration: 1, monthlyPrice: 100 },
  ],
};
const KEYS = [
  { accessKeyId: "LTAIemulator", accessKeySecret: "emulator-secret" },
  { accessKeyId: "LTAIreadonly", accessKeySecret: "ro-secret", readOnly: true },
  { accessKeyId: "STS.temporary", accessKeySecret: "sts-secret", securityToken: "token-123" },
];

let emulator: Emulator;
let ecs: EcsClient;
const describeAll = (c: EcsClient = ecs) => c.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou" }));

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true, keys: KEYS, expiryVisibilityDelayMs: 0 });
  ecs = ecsClient(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe("signatures", () => {
  it("accepts the SDK's ACS3-HMAC-SHA256 requests; every answer carries an upper-case UUID RequestId", async () => {
    const r = await describeAll();
    expect(r.statusCode).toBe(200);
    expect(r.body!.requestId).toMatch(UUID);
    expect(emulator.calls()).toEqual([expect.objectContaining({ action: "DescribeInstances", accessKeyId: "LTAIemulator", outcome: "ok", httpStatus: 200, requestId: r.body!.requestId })]);
  });

  it("accepts an STS key with its token (x-acs-security-token), and rejects a wrong or missing one", async () => {
    expect((await describeAll(ecsClient(emulator, KEYS[2]))).statusCode).toBe(200);
    const wrong = await sdkFailure(describeAll(ecsClient(emulator, { ...KEYS[2], securityToken: "other" })));
    expect(wrong).toMatchObject({ name: "ClientError", code: "InvalidSecurityToken.MismatchWithAccessKey", statusCode: 400 });
    expect(wrong.data!.RequestId).toMatch(UUID);
    const none = await sdkFailure(describeAll(ecsClient(emulator, { accessKeyId: "STS.temporary", accessKeySecret: "sts-secret" })));
    expect(none).toMatchObject({ code: "InvalidSecurityToken.MismatchWithAccessKey", statusCode: 400 });
    // A token sent with a permanent key is refused too.
    const stray = await sdkFailure(describeAll(ecsClient(emulator, { ...KEYS[0], securityToken: "token-123" })));
    expect(stray).toMatchObject({ code: "InvalidSecurityToken.Malformed", statusCode: 400 });
  });

  it("an unknown key is InvalidAccessKeyId.NotFound (404), a wrong secret SignatureDoesNotMatch (400)", async () => {
    const unknown = await sdkFailure(describeAll(ecsClient(emulator, { accessKeyId: "LTAInobody", accessKeySecret: "x" })));
    expect(unknown).toMatchObject({ name: "ClientError", code: "InvalidAccessKeyId.NotFound", statusCode: 404 });
    expect(unknown.requestId).toBe(unknown.data!.RequestId);
    const wrong = await sdkFailure(describeAll(ecsClient(emulator, { accessKeyId: "LTAIemulator", accessKeySecret: "wrong" })));
    expect(wrong).toMatchObject({ name: "ClientError", code: "SignatureDoesNotMatch", statusCode: 400, requestId: expect.stringMatching(UUID) });
    expect(emulator.calls().map((c) => [c.accessKeyId, c.outcome])).toEqual([
      ["LTAInobody", "InvalidAccessKeyId.NotFound"],
      ["LTAIemulator", "SignatureDoesNotMatch"],
    ]);
  });

  it("a request without Authorization, or with another scheme, is IncompleteSignature", async () => {
    const raw = await fetch(`${emulator.url}/?RegionId=cn-hangzhou`, { method: "POST", headers: { "x-acs-action": "DescribeInstances", "x-acs-version": "2014-05-26" } });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ Code: "IncompleteSignature", RequestId: expect.stringMatching(UUID), Message: expect.any(String) });
    const v1 = await fetch(`${emulator.url}/?RegionId=cn-hangzhou`, { method: "POST", headers: { "x-acs-action": "DescribeInstances", authorization: "acs LTAIemulator:abc" } });
    expect(v1.status).toBe(400);
    expect(await v1.json()).toMatchObject({ Code: "IncompleteSignature" });
  });

  it("checks what the signature covers: a changed query, a changed signed header, a body that does not match its hash", async () => {
    const query = { RegionId: "cn-hangzhou" };
    expect((await signedFetch(emulator.url, { action: "DescribeInstances", query })).status).toBe(200);
    const signed = await signedFetch(emulator.url, { action: "DescribeInstances", query });
    const changedQuery = await resend(emulator.url, "POST", "RegionId=cn-shanghai", { ...signed.headers, "x-acs-signature-nonce": "n-1" });
    expect(changedQuery.body).toMatchObject({ Code: "SignatureDoesNotMatch" });
    const changedAction = await signedFetch(emulator.url, { action: "DescribeInstances", query, tamper: { "x-acs-action": "RenewInstance" } });
    expect(changedAction.body).toMatchObject({ Code: "SignatureDoesNotMatch" });
    const body = await signedFetch(emulator.url, { action: "DescribeInstances", query, body: "x=1", tamper: { "x-acs-content-sha256": "0".repeat(64) } });
    expect(body).toMatchObject({ status: 400, body: { Code: "IncompleteSignature" } });
  });

  it("a replayed request (same nonce) is SignatureNonceUsed; a stale x-acs-date is InvalidTimeStamp.Expired", async () => {
    const first = await signedFetch(emulator.url, { action: "DescribeInstances", query: { RegionId: "cn-hangzhou" } });
    expect(first.status).toBe(200);
    const replay = await resend(emulator.url, "POST", first.search, first.headers);
    expect(replay).toMatchObject({ status: 400, body: { Code: "SignatureNonceUsed" } });
    const stale = new Date(Date.now() - 20 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const old = await signedFetch(emulator.url, { action: "DescribeInstances", query: { RegionId: "cn-hangzhou" }, headers: { "x-acs-date": stale } });
    expect(old).toMatchObject({ status: 400, body: { Code: "InvalidTimeStamp.Expired" } });
    const malformed = await signedFetch(emulator.url, { action: "DescribeInstances", query: { RegionId: "cn-hangzhou" }, headers: { "x-acs-date": "yesterday" } });
    expect(malformed).toMatchObject({ status: 400, body: { Code: "InvalidTimeStamp.Format" } });
  });

  it("a required header left out of SignedHeaders is IncompleteSignature", async () => {
    const signed = await signedFetch(emulator.url, { action: "DescribeInstances", query: { RegionId: "cn-hangzhou" } });
    const auth = signed.headers.authorization.replace(/SignedHeaders=host;/, "SignedHeaders=");
    const r = await resend(emulator.url, "POST", signed.search, { ...signed.headers, authorization: auth, "x-acs-signature-nonce": "n-unsigned" });
    expect(r).toMatchObject({ status: 400, body: { Code: "IncompleteSignature", Message: expect.stringContaining("host") } });
  });

  it("takes parameters from a signed form body too, as RPC allows", async () => {
    const r = await signedFetch(emulator.url, {
      action: "DescribeInstanceAttribute",
      body: "InstanceId=i-proto0002",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(r).toMatchObject({ status: 200, body: { InstanceId: "i-proto0002" } });
  });

  it("a GET with the parameters in the query works like the SDK's POST; other methods, versions and a missing version are refused", async () => {
    const get = await signedFetch(emulator.url, { action: "DescribeInstanceAttribute", method: "GET", query: { InstanceId: "i-proto0001" } });
    expect(get).toMatchObject({ status: 200, body: { InstanceId: "i-proto0001", RequestId: expect.stringMatching(UUID) } });
    expect((await signedFetch(emulator.url, { action: "DescribeInstances", method: "PUT", query: { RegionId: "cn-hangzhou" } })).body).toMatchObject({ Code: "UnsupportedHTTPMethod" });
    expect((await signedFetch(emulator.url, { action: "DescribeInstances", version: "2016-03-14", query: { RegionId: "cn-hangzhou" } })).body).toMatchObject({ Code: "InvalidVersion" });
    expect((await signedFetch(emulator.url, { action: "DescribeInstances", version: null, query: { RegionId: "cn-hangzhou" } })).body).toMatchObject({ Code: "MissingParameter.Version" });
  });
});

describe("errors", () => {
  it("an action the emulator does not model is InvalidAction.NotFound (404)", async () => {
    const f = await sdkFailure(ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: "cn-hangzhou" })));
    expect(f).toMatchObject({ name: "ClientError", code: "InvalidAction.NotFound", statusCode: 404 });
    expect(MODELLED_ACTIONS).toEqual(expect.arrayContaining(["DescribeInstances", "DescribeInstanceAttribute", "DescribeInstanceAutoRenewAttribute", "ModifyInstanceAutoRenewAttribute", "RenewInstance", "DescribeRenewalPrice", "DescribeRegions"]));
  });

  it("error bodies are {RequestId, HostId, Code, Message, Recommend}; the SDK exposes code, statusCode, requestId and data", async () => {
    const f = await sdkFailure(ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: "i-nosuch0001" })));
    expect(f).toMatchObject({ name: "ClientError", code: "InvalidInstanceId.NotFound", statusCode: 404 });
    expect(f.requestId).toMatch(UUID);
    expect(Object.keys(f.data!).sort()).toEqual(["Code", "HostId", "Message", "Recommend", "RequestId"]);
    expect(f.data).toMatchObject({ RequestId: f.requestId, Code: "InvalidInstanceId.NotFound", Message: "The specified InstanceId does not exist." });
    expect(emulator.calls().at(-1)).toMatchObject({ outcome: "InvalidInstanceId.NotFound", httpStatus: 404, requestId: f.requestId, instanceIds: ["i-nosuch0001"] });
  });

  it("a query that is not percent-encoded correctly is InvalidParameter (400)", async () => {
    const signed = await signedFetch(emulator.url, { action: "DescribeInstances", query: { RegionId: "cn-hangzhou" } });
    const bad = await resend(emulator.url, "POST", "RegionId=%E0%A4%A", { ...signed.headers, "x-acs-signature-nonce": "n-bad" });
    expect(bad).toMatchObject({ status: 400, body: { Code: "InvalidParameter" } });
  });
});

describe("a read-only key", () => {
  const ro = () => ecsClient(emulator, KEYS[1]);

  it("reads, but every write fails with Forbidden.RAM (403) naming the action, before anything changes", async () => {
    await expect(describeAll(ro())).resolves.toBeDefined();
    await expect(ro().describeInstanceAutoRenewAttribute(new $Ecs.DescribeInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: "i-proto0001" }))).resolves.toBeDefined();
    await expect(ro().describeRenewalPrice(new $Ecs.DescribeRenewalPriceRequest({ regionId: "cn-hangzhou", resourceId: "i-proto0001", resourceType: "instance" }))).resolves.toBeDefined();
    const modify = await sdkFailure(ro().modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: "i-proto0001", renewalStatus: "AutoRenewal", duration: 1 })));
    expect(modify).toMatchObject({ name: "ClientError", code: "Forbidden.RAM", statusCode: 403 });
    expect(modify.message).toMatch(/User not authorized to operate on the specified resource, or this API doesn't support RAM\..*action: ecs:ModifyInstanceAutoRenewAttribute/);
    expect(modify.accessDeniedDetail).toMatchObject({ AuthAction: "ecs:ModifyInstanceAutoRenewAttribute", NoPermissionType: "ImplicitDeny" });
    const renew = await sdkFailure(ro().renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-proto0001", period: 1, clientToken: "ro-1" })));
    expect(renew).toMatchObject({ code: "Forbidden.RAM", statusCode: 403, message: expect.stringContaining("ecs:RenewInstance") });
    expect(emulator.ledger()).toEqual([]);
    expect(emulator.instance("i-proto0001")!.renewalStatus).toBe("Normal");
    expect(emulator.calls().filter((c) => c.accessKeyId === "LTAIreadonly").map((c) => c.outcome)).toEqual(["ok", "ok", "ok", "Forbidden.RAM", "Forbidden.RAM"]);
  });

  it("is refused even when the request is otherwise invalid (RAM is decided first)", async () => {
    const f = await sdkFailure(ro().renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-nosuch0001", period: 99 })));
    expect(f).toMatchObject({ code: "Forbidden.RAM" });
  });
});

describe("the admin API", () => {
  const a = <T>(method: string, path: string, body?: unknown) => admin<T>(emulator.url, method, path, body);

  it("reads and replaces instances, balance, ledger and calls", async () => {
    const instances = (await a<InstanceRecord[]>("GET", "instances")).body;
    expect(instances.map((i) => i.instanceId)).toEqual(["i-proto0001", "i-proto0002"]);
    expect((await a<InstanceRecord>("GET", "instances/i-proto0002")).body).toMatchObject({ renewalStatus: "AutoRenewal", duration: 1 });
    // One record or an array; add or replace; fields not given are kept.
    await a("POST", "instances", { instanceId: "i-proto0003", expiresInDays: 3, tags: { team: "x" } });
    await a("POST", "instances", [{ instanceId: "i-proto0001", monthlyPrice: 250 }, { instanceId: "i-proto0004", instanceChargeType: "PostPaid" }]);
    expect(emulator.instance("i-proto0001")).toMatchObject({ monthlyPrice: 250, renewalStatus: "Normal" });
    expect(emulator.instance("i-proto0003")!.tags).toEqual({ team: "x" });
    expect(emulator.instance("i-proto0004")).toMatchObject({ instanceChargeType: "PostPaid", expiredTime: "2099-12-31T15:59Z" });
    expect((await a("DELETE", "instances/i-proto0004")).status).toBe(200);
    expect((await a("DELETE", "instances/i-proto0004")).status).toBe(404);
    expect(emulator.instance("i-proto0004")).toBeUndefined();
    // A bad record is refused and nothing of the batch is applied.
    const bad = await a<{ error: string }>("POST", "instances", [{ instanceId: "i-proto0005" }, { instanceId: "I-BAD" }]);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("I-BAD");
    expect(emulator.instance("i-proto0005")).toBeUndefined();

    expect((await a("POST", "balance", { balance: 42.5 })).body).toEqual({ balance: 42.5 });
    expect((await a("GET", "balance")).body).toEqual({ balance: 42.5 });
    expect((await a("POST", "balance", { balance: "lots" })).status).toBe(400);

    await ecs.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-proto0002", period: 1, clientToken: "adm" })).catch(() => undefined);
    await a("POST", "balance", { balance: 1000 });
    await ecs.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-proto0002", period: 1, clientToken: "adm" }));
    const ledger = (await a<Charge[]>("GET", "ledger")).body;
    expect(ledger).toEqual([expect.objectContaining({ instanceId: "i-proto0002", kind: "renew", amount: 100, clientToken: "adm" })]);
    const calls = (await a<CallRecord[]>("GET", "calls")).body;
    expect(calls.map((c) => [c.action, c.outcome, c.clientToken])).toEqual([
      ["RenewInstance", "InvalidAccountStatus.NotEnoughBalance", "adm"],
      ["RenewInstance", "ok", "adm"],
    ]);
    await a("DELETE", "calls");
    expect(emulator.calls()).toEqual([]);
  });

  it("adds and clears fault rules, moves the clock, resets", async () => {
    const rules: FaultRule[] = [
      { action: "DescribeInstances", kind: "error", code: "InternalError", times: 1 },
      { action: "*", kind: "latency", ms: 1, times: 5 },
    ];
    expect((await a<FaultRule[]>("POST", "faults", rules)).body).toHaveLength(2);
    expect((await a<FaultRule[]>("POST", "faults", { action: "RenewInstance", kind: "drop" })).body).toHaveLength(3);
    expect((await a<{ error: string }>("POST", "faults", { action: "*", kind: "explode" })).status).toBe(400);
    expect(await sdkFailure(describeAll())).toMatchObject({ name: "ServerError", code: "InternalError", statusCode: 500 });
    expect((await a<FaultRule[]>("GET", "faults")).body).toEqual([{ action: "*", kind: "latency", ms: 1, times: 4 }, { action: "RenewInstance", kind: "drop" }]);
    await a("DELETE", "faults");
    expect(emulator.faults.list()).toEqual([]);

    const start = emulator.clock.now().getTime();
    const moved = (await a<{ now: string }>("POST", "clock", { advanceMs: 2 * DAY })).body.now;
    expect(Date.parse(moved) - start).toBeGreaterThanOrEqual(2 * DAY);
    expect(Date.parse((await a<{ now: string }>("POST", "clock", { now: "2031-05-01T00:00:00Z" })).body.now)).toBeGreaterThanOrEqual(Date.parse("2031-05-01T00:00:00Z"));
    expect((await a("POST", "clock", { now: "someday" })).status).toBe(400);
    // Far past every expiry: all released.
    expect((await a<InstanceRecord[]>("GET", "instances")).body).toEqual([]);

    // Reset: the start fleet (or the one posted), the real clock, nothing remembered.
    const reset = await a<{ instances: number; balance: number }>("POST", "reset");
    expect(reset.body).toMatchObject({ instances: 2, balance: 1000 });
    expect(Math.abs(emulator.clock.now().getTime() - Date.now())).toBeLessThan(1000);
    const other = await a<{ instances: number; balance: number }>("POST", "reset", { balance: 5, instances: [{ instanceId: "i-other0001" }] });
    expect(other.body).toMatchObject({ instances: 1, balance: 5 });
    expect(emulator.calls()).toEqual([]);
    expect((await a("GET", "nowhere")).status).toBe(404);
    expect((await fetch(`${emulator.url}/_emulator/instances`, { method: "POST", body: "{not json" })).status).toBe(400);
  });
});

it("ClientError from the SDK is the class the provider catches", async () => {
  const e = await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: "i-nosuch0001" })).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ClientError);
});
