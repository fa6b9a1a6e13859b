// Time in the emulator: expiry stops an instance with a financial lock, release 15 days later, auto-renew
// deductions from 08:00 UTC+8 on the 9th day before expiry, and the delay before a renewal shows in reads.
import * as $Ecs from "@alicloud/ecs20140526";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type FleetFile } from "./emulator";
import { ecsClient, sdkFailure, type EcsClient } from "./emulator/sdk";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Expiry at 00:00 Beijing on 21 March 2030 (16:00Z the day before), as real subscriptions end.
const EXPIRY = "2030-03-20T16:00Z";
// The 9th day before, 08:00 Beijing = 00:00Z on 12 March.
const FIRST_ATTEMPT = Date.parse("2030-03-12T00:00:00Z");
const START = "2030-02-01T00:00:00Z";
const FLEET: FleetFile = {
  balance: 1000,
  instances: [
    { instanceId: "i-life0001", expiredTime: EXPIRY, renewalStatus: "Normal", monthlyPrice: 100 },
    { instanceId: "i-life0002", expiredTime: EXPIRY, renewalStatus: "AutoRenewal", duration: 2, periodUnit: "Month", monthlyPrice: 100 },
    { instanceId: "i-life0003", expiredTime: EXPIRY, renewalStatus: "AutoRenewal", duration: 1, periodUnit: "Year", monthlyPrice: 10 },
    { instanceId: "i-life0004", instanceChargeType: "PostPaid" },
  ],
};

let emulator: Emulator;
let ecs: EcsClient;
const attribute = (id: string) => ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id })).then((r) => r.body!);
const listed = (extra: Record<string, unknown> = {}) =>
  ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou", maxResults: 100, ...extra })).then((r) => r.body!.instances!.instance!);

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true, now: START, expiryVisibilityDelayMs: 0 });
  ecs = ecsClient(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe("expiry and release", () => {
  it("starts at the `now` option, and reset() returns there", () => {
    expect(Math.abs(emulator.clock.now().getTime() - Date.parse(START))).toBeLessThan(5000);
    emulator.clock.advance(30 * DAY);
    emulator.reset();
    expect(Math.abs(emulator.clock.now().getTime() - Date.parse(START))).toBeLessThan(5000);
  });

  it("an expired subscription is Stopped with OperationLocks financial, for every read", async () => {
    emulator.clock.set(Date.parse(EXPIRY) - MIN);
    expect((await attribute("i-life0001")).status).toBe("Running");
    emulator.clock.set(Date.parse(EXPIRY));
    const a = await attribute("i-life0001");
    expect(a).toMatchObject({ status: "Stopped", expiredTime: EXPIRY });
    expect(a.operationLocks!.lockReason!.map((l) => l.lockReason)).toEqual(["financial"]);
    const stopped = await listed({ status: "Stopped" });
    expect(stopped.map((i) => i.instanceId)).toEqual(["i-life0001"]);
    expect(stopped[0].operationLocks!.lockReason![0].lockReason).toBe("financial");
    expect(emulator.instance("i-life0004")!.status).toBe("Running"); // Pay-As-You-Go does not expire
  });

  it("an expired instance cannot be switched to auto-renew, but renewing it restarts it, counting from the renewal", async () => {
    emulator.clock.set(Date.parse(EXPIRY) + 3 * DAY);
    const f = await sdkFailure(ecs.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: "i-life0001", renewalStatus: "AutoRenewal", duration: 1 })));
    expect(f).toMatchObject({ code: "IncorrectInstanceStatus", statusCode: 403 });
    const price = (await ecs.describeRenewalPrice(new $Ecs.DescribeRenewalPriceRequest({ regionId: "cn-hangzhou", resourceId: "i-life0001", resourceType: "instance", priceUnit: "Month", period: 1 }))).body!.priceInfo!.price!;
    await ecs.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-life0001", period: 1, periodUnit: "Month", clientToken: "rescue" }));
    const a = await attribute("i-life0001");
    expect(a.status).toBe("Running");
    expect(a.operationLocks!.lockReason).toEqual([]);
    expect(emulator.ledger().filter((c) => c.instanceId === "i-life0001")).toEqual([expect.objectContaining({ kind: "renew", amount: price.tradePrice, previousExpiredTime: EXPIRY })]);
    expect(Date.parse(a.expiredTime!)).toBeGreaterThan(Date.parse(EXPIRY) + 3 * DAY + 27 * DAY);
  });

  it("not renewed, it is released 15 days after expiry: every API then answers as for an unknown instance", async () => {
    emulator.clock.set(Date.parse(EXPIRY) + 15 * DAY - MIN);
    expect(emulator.instance("i-life0001")).toMatchObject({ status: "Stopped" });
    expect(await attribute("i-life0001")).toMatchObject({ status: "Stopped" });
    emulator.clock.set(Date.parse(EXPIRY) + 15 * DAY);
    expect(emulator.instance("i-life0001")).toBeUndefined();
    expect(await sdkFailure(attribute("i-life0001"))).toMatchObject({ code: "InvalidInstanceId.NotFound", statusCode: 404 });
    // (The two auto-renewing instances were renewed on 12 March and live on.)
    expect((await listed()).map((i) => i.instanceId)).toEqual(["i-life0002", "i-life0003", "i-life0004"]);
    const attrs = await ecs.describeInstanceAutoRenewAttribute(new $Ecs.DescribeInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: "i-life0001" }));
    expect(attrs.body!.totalCount).toBe(0);
    expect(await sdkFailure(ecs.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-life0001", period: 1 })))).toMatchObject({ code: "InvalidInstanceId.NotFound" });
  });

  it("time also moves with real time, caught up on each request", async () => {
    const live = await startEmulator({ quiet: true, now: "2030-01-01T00:00:59.700Z", fleet: { instances: [{ instanceId: "i-live0001", expiredTime: "2030-01-01T00:01Z" }] } });
    try {
      const c = ecsClient(live);
      await sleep(400);
      const a = (await c.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: "i-live0001" }))).body!;
      expect(a.status).toBe("Stopped");
    } finally {
      await live.close();
    }
  });
});

describe("auto-renew", () => {
  it("deducts at 08:00 UTC+8 on the 9th day before expiry: a ledger entry without client token, expiry extended by the Duration", async () => {
    emulator.clock.set(FIRST_ATTEMPT - MIN);
    expect(emulator.ledger()).toEqual([]);
    emulator.clock.advance(MIN);
    const ledger = emulator.ledger();
    expect(ledger).toEqual([
      { orderId: expect.stringMatching(/^\d+$/), instanceId: "i-life0002", kind: "auto-renew", period: 2, periodUnit: "Month", amount: 200, currency: "CNY", time: "2030-03-12T00:00:00.000Z", previousExpiredTime: EXPIRY, newExpiredTime: "2030-05-20T16:00Z" },
      // Yearly auto-renew, priced as a year with its discount.
      { orderId: expect.stringMatching(/^\d+$/), instanceId: "i-life0003", kind: "auto-renew", period: 1, periodUnit: "Year", amount: 102, currency: "CNY", time: "2030-03-12T00:00:00.000Z", previousExpiredTime: EXPIRY, newExpiredTime: "2031-03-20T16:00Z" },
    ]);
    expect(ledger[0]).not.toHaveProperty("clientToken");
    expect(emulator.balance()).toBe(1000 - 200 - 102);
    expect((await attribute("i-life0002")).expiredTime).toBe("2030-05-20T16:00Z");
    // One deduction per term: the next is 9 days before the new expiry.
    emulator.clock.set(Date.parse("2030-05-11T23:59:00Z"));
    expect(emulator.ledger()).toHaveLength(2);
    emulator.clock.set(Date.parse("2030-05-12T00:00:00Z"));
    expect(emulator.ledger()).toHaveLength(3);
  });

  it("when the balance is short it retries at the next day's 08:00 UTC+8, until expiry", async () => {
    emulator.setBalance(150); // enough for i-life0003 (102), not for i-life0002 (200)
    emulator.clock.set(FIRST_ATTEMPT + 2 * HOUR);
    expect(emulator.ledger().map((c) => c.instanceId)).toEqual(["i-life0003"]);
    emulator.setBalance(1000);
    emulator.clock.set(FIRST_ATTEMPT + DAY - MIN);
    expect(emulator.ledger()).toHaveLength(1);
    emulator.clock.set(FIRST_ATTEMPT + DAY);
    expect(emulator.ledger()[1]).toMatchObject({ instanceId: "i-life0002", kind: "auto-renew", time: "2030-03-13T00:00:00.000Z" });
  });

  it("with the balance short every morning, the instance expires and is released like any other", async () => {
    emulator.setBalance(10);
    emulator.clock.set(Date.parse(EXPIRY) - MIN);
    expect(emulator.ledger()).toEqual([]);
    expect(emulator.instance("i-life0002")!.status).toBe("Running");
    emulator.setBalance(1000);
    emulator.clock.set(Date.parse(EXPIRY) + DAY); // no attempt after expiry
    expect(emulator.ledger()).toEqual([]);
    expect(emulator.instance("i-life0002")).toMatchObject({ status: "Stopped", lockReasons: ["financial"] });
    emulator.clock.set(Date.parse(EXPIRY) + 15 * DAY);
    expect(emulator.instance("i-life0002")).toBeUndefined();
  });

  it("a long jump of the clock pays term after term in the order they fall due, while the balance lasts", async () => {
    emulator.clock.set(Date.parse("2031-03-01T00:00:00Z"));
    expect(emulator.ledger().map((c) => [c.instanceId, c.time.slice(0, 10), c.newExpiredTime])).toEqual([
      ["i-life0002", "2030-03-12", "2030-05-20T16:00Z"],
      ["i-life0003", "2030-03-12", "2031-03-20T16:00Z"],
      ["i-life0002", "2030-05-12", "2030-07-20T16:00Z"],
      ["i-life0002", "2030-07-12", "2030-09-20T16:00Z"],
      ["i-life0002", "2030-09-12", "2030-11-20T16:00Z"],
    ]);
    // 1000 - 102 - 4 × 200 = 98 left: the November term could not be paid, daily retries failed, it expired.
    expect(emulator.balance()).toBe(98);
    expect(emulator.instance("i-life0002")).toBeUndefined();
    expect(emulator.instance("i-life0003")).toMatchObject({ status: "Running", expiredTime: "2031-03-20T16:00Z" });
    emulator.reset();
    emulator.setBalance(10_000);
    emulator.clock.set(Date.parse("2032-01-01T00:00:00Z"));
    expect(emulator.ledger().filter((c) => c.instanceId === "i-life0002")).toHaveLength(11);
    expect(emulator.instance("i-life0002")).toMatchObject({ status: "Running", expiredTime: "2032-01-20T16:00Z" });
  });

  it("switched on inside the 9-day window, it deducts at the next 08:00 UTC+8, not for mornings already past", async () => {
    emulator.clock.set(Date.parse("2030-03-15T03:00:00Z")); // 11:00 Beijing, 5½ days before expiry
    emulator.clearCalls();
    const before = emulator.ledger().length;
    await ecs.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", instanceId: "i-life0001", renewalStatus: "AutoRenewal", duration: 1 }));
    expect(emulator.ledger()).toHaveLength(before);
    emulator.clock.set(Date.parse("2030-03-16T00:00:00Z"));
    expect(emulator.ledger().at(-1)).toMatchObject({ instanceId: "i-life0001", kind: "auto-renew", time: "2030-03-16T00:00:00.000Z", amount: 100, newExpiredTime: "2030-04-20T16:00Z" });
  });

  it("an instance put with AutoRenewal inside the window is not charged for the past either", () => {
    emulator.clock.set(Date.parse("2030-03-15T03:00:00Z"));
    emulator.putInstance({ instanceId: "i-life0009", expiredTime: EXPIRY, renewalStatus: "AutoRenewal", duration: 1 });
    expect(emulator.ledger().filter((c) => c.instanceId === "i-life0009")).toEqual([]);
    emulator.clock.advance(DAY);
    expect(emulator.ledger().filter((c) => c.instanceId === "i-life0009")).toHaveLength(1);
  });
});

describe("the expiry visibility delay (default 500 ms)", () => {
  let slow: Emulator;
  let c: EcsClient;
  beforeEach(async () => {
    slow = await startEmulator({ quiet: true, fleet: FLEET, now: START });
    c = ecsClient(slow);
  });
  afterEach(() => slow.close());
  const expiryRead = async () => (await c.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: "i-life0001" }))).body!.expiredTime;

  it("reads show the old expiry right after the order; until it shows the order is processing: another token is LastOrderProcessing, the same one LastTokenProcessing", async () => {
    const t0 = Date.now();
    const order = (await c.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-life0001", period: 1, clientToken: "v-1" }))).body!.orderId;
    // The order was taken between t0 and now: the new expiry shows 500 ms after that, at the latest from here.
    const ordered = Date.now();
    const newExpiry = slow.ledger()[0].newExpiredTime;
    expect(newExpiry).toBe("2030-04-20T16:00Z");
    expect(await expiryRead()).toBe(EXPIRY);
    expect((await c.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou", instanceIds: JSON.stringify(["i-life0001"]) }))).body!.instances!.instance![0].expiredTime).toBe(EXPIRY);
    const busy = await sdkFailure(c.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-life0001", period: 1, clientToken: "v-2" })));
    expect(busy).toMatchObject({ name: "ClientError", code: "LastOrderProcessing", statusCode: 400 });
    // The same token is the same order, still processing: retry later with it.
    const again = await sdkFailure(c.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-life0001", period: 1, clientToken: "v-1" })));
    expect(again).toMatchObject({ name: "ClientError", code: "LastTokenProcessing", statusCode: 403, message: expect.stringContaining("The last token request is processing.") });
    expect(Date.now() - t0).toBeLessThan(450);

    await sleep(Math.max(0, 520 - (Date.now() - ordered)));
    expect(await expiryRead()).toBe(newExpiry);
    // Once it shows, the same token answers the first OrderId and charges nothing.
    expect((await c.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-life0001", period: 1, clientToken: "v-1" }))).body!.orderId).toBe(order);
    expect(slow.ledger()).toHaveLength(1);
    await c.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-life0001", period: 1, clientToken: "v-2" }));
    expect(slow.ledger()).toHaveLength(2);
  });

  it("moving the clock past the delay shows it at once", async () => {
    await c.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: "i-life0001", period: 1 }));
    expect(await expiryRead()).toBe(EXPIRY);
    slow.clock.advance(1000);
    expect(await expiryRead()).toBe("2030-04-20T16:00Z");
  });
});
