// Fault rules as a client sees them through the unmodified official SDK: added latency, throttling with
// x-acs-retry-after, error answers, dropped connections, and changes applied before a failed answer.
import * as $Ecs from "@alicloud/ecs20140526";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type FleetFile } from "./emulator";
import { ecsClient, sdkFailure, type EcsClient } from "./emulator/sdk";

const FLEET: FleetFile = {
  balance: 1000,
  instances: [
    { instanceId: "i-fault0001", expiresInDays: 40, monthlyPrice: 100 },
    { instanceId: "i-fault0002", expiresInDays: 50, monthlyPrice: 100 },
  ],
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let emulator: Emulator;
let ecs: EcsClient;
const read = (id = "i-fault0001", c = ecs) => c.describeInstanceAutoRenewAttribute(new $Ecs.DescribeInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: id }));
const list = () => ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou" }));
const renew = (id: string, clientToken: string) => ecs.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: id, period: 1, periodUnit: "Month", clientToken }));

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true, expiryVisibilityDelayMs: 0 });
  ecs = ecsClient(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe("latency", () => {
  it("delays matching calls by `ms`, for `times` calls, and shows in calls()", async () => {
    await list(); // connection and client warm
    emulator.clearCalls();
    emulator.faults.add({ action: "DescribeInstanceAutoRenewAttribute", kind: "latency", ms: 1000, times: 1 });
    const timed = async (call: () => Promise<unknown>) => {
      const t = Date.now();
      await call();
      return Date.now() - t;
    };
    const other = await timed(list);
    const delayed = await timed(read);
    const after = await timed(read);
    expect(delayed).toBeGreaterThanOrEqual(995);
    // The calls the rule does not hit are not delayed (compared with the delayed one, so a loaded machine's
    // own slowness does not count).
    expect(other).toBeLessThan(delayed - 500);
    expect(after).toBeLessThan(delayed - 500);
    expect(emulator.calls().map((c) => [c.action, c.outcome, c.fault])).toEqual([
      ["DescribeInstances", "ok", undefined],
      ["DescribeInstanceAutoRenewAttribute", "ok", "latency"],
      ["DescribeInstanceAutoRenewAttribute", "ok", undefined],
    ]);
  });

  it("adds up with an error rule on the same call", async () => {
    emulator.faults.add({ action: "*", kind: "latency", ms: 100, times: 1 });
    emulator.faults.add({ action: "*", kind: "error", code: "InternalError", times: 1 });
    const t = Date.now();
    expect(await sdkFailure(read())).toMatchObject({ code: "InternalError" });
    expect(Date.now() - t).toBeGreaterThanOrEqual(95);
  });
});

describe("throttle", () => {
  it("over perSecond calls in a sliding second: Throttling.User (400) with x-acs-retry-after in ms, read by the SDK as retryAfter", async () => {
    emulator.faults.add({ action: "DescribeInstanceAutoRenewAttribute", kind: "throttle", perSecond: 2 });
    await read();
    await read();
    const f = await sdkFailure(read());
    expect(f).toMatchObject({ name: "ThrottlingError", code: "Throttling.User", statusCode: 400 });
    expect(f.data!.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(f.retryAfter).toBeGreaterThan(0);
    expect(f.retryAfter).toBeLessThanOrEqual(1000);
    // Other actions have their own window; this one frees up once the retry-after has passed.
    await expect(list()).resolves.toBeDefined();
    await sleep(f.retryAfter! + 20);
    await expect(read()).resolves.toBeDefined();
    expect(emulator.calls().filter((c) => c.fault === "throttle").map((c) => [c.outcome, c.httpStatus])).toEqual([["Throttling.User", 400]]);
  });

  it("perSecond 0 with `times` throttles that many calls, then none", async () => {
    emulator.faults.add({ action: "*", kind: "throttle", perSecond: 0, times: 2, retryAfterMs: 50 });
    expect(await sdkFailure(read())).toMatchObject({ name: "ThrottlingError", retryAfter: 50 });
    expect(await sdkFailure(list())).toMatchObject({ name: "ThrottlingError" });
    await expect(read()).resolves.toBeDefined();
    expect(emulator.faults.list()).toEqual([]);
  });
});

describe("error", () => {
  it.each([
    [{ code: "InternalError" }, "ServerError", "InternalError", 500],
    [{}, "ServerError", "InternalError", 500],
    [{ code: "ServiceUnavailable" }, "ServerError", "ServiceUnavailable", 503],
    [{ code: "ServiceUnavailable", status: 500 }, "ServerError", "ServiceUnavailable", 500],
    [{ code: "LastOrderProcessing", status: 400 }, "ClientError", "LastOrderProcessing", 400],
    [{ code: "Throttling" }, "ThrottlingError", "Throttling", 400],
  ])("%o → %s %s %i", async (rule, name, code, status) => {
    emulator.faults.add({ action: "DescribeInstanceAutoRenewAttribute", kind: "error", times: 1, ...rule });
    const f = await sdkFailure(read());
    expect(f).toMatchObject({ name, code, statusCode: status });
    expect(f.requestId).toMatch(/^[0-9A-F-]{36}$/);
    if (name === "ThrottlingError") expect(f.retryAfter).toBe(1000);
    await expect(read()).resolves.toBeDefined(); // times: 1
    expect(emulator.calls()[0]).toMatchObject({ outcome: code, httpStatus: status, fault: "error" });
  });

  it("instanceId limits a rule to calls that name the instance; rate 0 never hits, rate 1 always", async () => {
    emulator.faults.add({ action: "*", kind: "error", instanceId: "i-fault0002" });
    await expect(read("i-fault0001")).resolves.toBeDefined();
    expect(await sdkFailure(read("i-fault0002"))).toMatchObject({ code: "InternalError" });
    expect(await sdkFailure(read("i-fault0001,i-fault0002"))).toMatchObject({ code: "InternalError" });
    emulator.faults.clear();
    emulator.faults.add({ action: "*", kind: "error", rate: 0 });
    for (let i = 0; i < 5; i++) await read();
    emulator.faults.clear();
    emulator.faults.add({ action: "*", kind: "error", rate: 1, times: 3 });
    for (let i = 0; i < 3; i++) expect(await sdkFailure(read())).toMatchObject({ code: "InternalError" });
  });

  it("rate hits about that share of the calls", async () => {
    emulator.faults.add({ action: "DescribeInstances", kind: "error", rate: 0.5 });
    let failed = 0;
    for (let i = 0; i < 60; i++) failed += await list().then(() => 0, () => 1);
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(50);
  });

  it("faults are checked after authentication: a bad signature is answered as such and uses up no rule", async () => {
    emulator.faults.add({ action: "*", kind: "error", code: "ServiceUnavailable", times: 1 });
    const bad = ecsClient(emulator, { accessKeyId: "LTAIemulator", accessKeySecret: "wrong" });
    expect(await sdkFailure(read("i-fault0001", bad))).toMatchObject({ code: "SignatureDoesNotMatch" });
    expect(await sdkFailure(read())).toMatchObject({ code: "ServiceUnavailable" });
  });

  it("rules are checked when added", () => {
    expect(() => emulator.faults.add({ action: "*", kind: "nope" as never })).toThrow(/kind/);
    expect(() => emulator.faults.add({ action: "*", kind: "throttle" })).toThrow(/perSecond/);
    expect(() => emulator.faults.add({ action: "*", kind: "error", rate: 2 })).toThrow(/rate/);
  });
});

describe("drop", () => {
  it("destroys the connection without an answer: the SDK throws a network error (ECONNRESET, no statusCode)", async () => {
    emulator.faults.add({ action: "DescribeInstances", kind: "drop", times: 1 });
    const f = await sdkFailure(list());
    expect(f).toMatchObject({ name: "Error", code: "ECONNRESET" });
    expect(f.statusCode).toBeUndefined();
    expect(f.message).toMatch(/socket hang up/);
    expect(emulator.calls().at(-1)).toMatchObject({ action: "DescribeInstances", outcome: "dropped", httpStatus: 0, fault: "drop" });
    await expect(list()).resolves.toBeDefined();
  });
});

describe("apply-then-fail", () => {
  it("RenewInstance charges and extends, then answers 500: the caller cannot tell; the same ClientToken then returns that order", async () => {
    const before = emulator.instance("i-fault0001")!.expiredTime;
    emulator.faults.add({ action: "RenewInstance", kind: "apply-then-fail", times: 1 });
    expect(await sdkFailure(renew("i-fault0001", "atf-1"))).toMatchObject({ name: "ServerError", code: "InternalError", statusCode: 500 });
    const [charge] = emulator.ledger();
    expect(charge).toMatchObject({ instanceId: "i-fault0001", kind: "renew", clientToken: "atf-1", previousExpiredTime: before });
    expect(emulator.balance()).toBe(900);
    expect(emulator.instance("i-fault0001")!.expiredTime).toBe(charge.newExpiredTime);
    expect(emulator.calls().at(-1)).toMatchObject({ action: "RenewInstance", outcome: "InternalError", httpStatus: 500, fault: "apply-then-fail", clientToken: "atf-1" });
    expect((await renew("i-fault0001", "atf-1")).body!.orderId).toBe(charge.orderId);
    expect(emulator.ledger()).toHaveLength(1);
  });

  it.each([[{ drop: true }], [{ code: "drop" }]])("%o: the change is made and the connection dropped", async (how) => {
    emulator.faults.add({ action: "RenewInstance", kind: "apply-then-fail", times: 1, ...how });
    const f = await sdkFailure(renew("i-fault0002", "atf-2"));
    expect(f).toMatchObject({ code: "ECONNRESET" });
    expect(f.statusCode).toBeUndefined();
    expect(emulator.ledger()).toEqual([expect.objectContaining({ instanceId: "i-fault0002", clientToken: "atf-2" })]);
    expect(emulator.calls().at(-1)).toMatchObject({ outcome: "dropped", fault: "apply-then-fail" });
  });

  it("ModifyInstanceAutoRenewAttribute with a custom code: the settings change, the answer is the error", async () => {
    emulator.faults.add({ action: "ModifyInstanceAutoRenewAttribute", kind: "apply-then-fail", code: "ServiceUnavailable", times: 1 });
    const f = await sdkFailure(ecs.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: "i-fault0001,i-fault0002", renewalStatus: "AutoRenewal", duration: 3 })));
    expect(f).toMatchObject({ name: "ServerError", code: "ServiceUnavailable", statusCode: 503 });
    expect(emulator.instances().map((i) => [i.renewalStatus, i.duration])).toEqual([
      ["AutoRenewal", 3],
      ["AutoRenewal", 3],
    ]);
  });

  it("a call that fails on its own merits is answered with its own error, and uses up the rule", async () => {
    emulator.faults.add({ action: "RenewInstance", kind: "apply-then-fail", times: 1 });
    expect(await sdkFailure(renew("i-nosuch01", "atf-3"))).toMatchObject({ code: "InvalidInstanceId.NotFound" });
    await renew("i-fault0001", "atf-4");
    expect(emulator.ledger()).toHaveLength(1);
  });
});

describe("reset", () => {
  it("starts a new epoch: a delayed Modify that arrived before the reset changes nothing after it, and is not on its record", async () => {
    emulator.faults.add({ action: "ModifyInstanceAutoRenewAttribute", kind: "latency", ms: 300, times: 1 });
    const late = sdkFailure(ecs.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: "i-fault0001", renewalStatus: "AutoRenewal", duration: 3 })));
    await sleep(100); // the call is on the emulator now, waiting out its latency
    expect(emulator.calls().map((c) => c.action)).toEqual(["ModifyInstanceAutoRenewAttribute"]);
    emulator.reset();
    // The old client still gets an answer: a temporary failure, as a server restart looks.
    expect(await late).toMatchObject({ code: "ServiceUnavailable", statusCode: 503 });
    expect(emulator.instance("i-fault0001")).toMatchObject({ renewalStatus: "Normal" });
    expect(emulator.calls()).toEqual([]);
    expect(emulator.ledger()).toEqual([]);
    const attr = (await read()).body!.instanceRenewAttributes!.instanceRenewAttribute![0];
    expect(attr).toMatchObject({ renewalStatus: "Normal" });
  });

  it("a RenewInstance delayed across a reset charges nothing", async () => {
    emulator.faults.add({ action: "RenewInstance", kind: "latency", ms: 300, times: 1 });
    const before = emulator.instance("i-fault0002")!.expiredTime;
    const late = sdkFailure(renew("i-fault0002", "epoch-1"));
    await sleep(100);
    emulator.reset();
    expect(await late).toMatchObject({ code: "ServiceUnavailable" });
    expect(emulator.ledger()).toEqual([]);
    expect(emulator.balance()).toBe(1000);
    expect(emulator.instance("i-fault0002")!.expiredTime).toBe(before);
  });
});
