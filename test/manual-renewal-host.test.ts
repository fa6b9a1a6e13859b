// ManualRenewal's children through the real dynamic-provider host against the ECS emulator, one step at a
// time as the engine calls them: each intent, each skip and each refusal of the decision table, prices ECS
// can and cannot give, orders still processing, the order whose new expiry shows late and its
// confirmation, diff, update, refresh and delete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type FleetFile } from "./emulator";
import type { ProviderHost } from "./engine/host";
import { childUrn, manualRenewalShims, ORDER_TYPE as ORDER, PLAN_TYPE as PLAN, startRenewalHost } from "./support/manual-renewal-host";

const urn = (type: string, name: string) => childUrn("test", type, name);
const DAY = 86_400_000;
type Props = Record<string, unknown>;

const FLEET: FleetFile = {
  balance: 1_000_000,
  unifiedExpiryDay: 7,
  instances: [
    { instanceId: "i-mr00000003", instanceChargeType: "PostPaid", monthlyPrice: 100 },
    { instanceId: "i-mr00000004", expiresInDays: 30, renewalStatus: "NotRenewal", monthlyPrice: 100 },
    { instanceId: "i-mr00000005", expiresInDays: 20, monthlyPrice: 900 },
  ],
};

let emulator: Emulator;
let host: ProviderHost;
let shims: Record<string, string>;
let serial = 0;

/** A fresh subscription instance. */
function instance(fields: Props = {}, on = emulator): string {
  const instanceId = `i-mrh${String(++serial).padStart(8, "0")}`;
  on.putInstance({ instanceId, expiresInDays: 10, monthlyPrice: 100, ...fields });
  return instanceId;
}

/** The engine's steps for a new ManualRenewal: the plan (check, create), then the order (check, create). */
async function renew(name: string, args: Props, opts: { on?: ProviderHost; plannedFrom?: string } = {}): Promise<Props> {
  const h = opts.on ?? host;
  const scope = `renewal/test/${name}`;
  let plannedFrom = opts.plannedFrom;
  if (plannedFrom === undefined) {
    const { identity } = splitArgs(args);
    const plan = await h.check(urn(PLAN, `${name}-plan`), {}, { ...identity, scope, __provider: shims[PLAN] });
    if (plan.failures.length) throw new Error(plan.failures.map((f) => f.reason).join("; "));
    plannedFrom = (await h.create(urn(PLAN, `${name}-plan`), plan.inputs)).properties.plannedFromExpiredTime as string;
  }
  const checked = await h.check(urn(ORDER, `${name}-order`), {}, { ...args, scope, plannedFromExpiredTime: plannedFrom, __provider: shims[ORDER] });
  if (checked.failures.length) throw new Error(checked.failures.map((f) => f.reason).join("; "));
  return (await h.create(urn(ORDER, `${name}-order`), checked.inputs)).properties;
}

/** What the component passes to its plan: the renewal's identity, not the guards. */
function splitArgs(args: Props): { identity: Props } {
  const { onlyIfExpiresWithinDays: _o, maxPrice: _m, ...identity } = args;
  return { identity };
}

const charges = (instanceId: string, on = emulator) => on.ledger().filter((c) => c.kind === "renew" && c.instanceId === instanceId);
const calls = (instanceId: string, action?: string) => emulator.calls().filter((c) => c.instanceIds?.includes(instanceId) && (!action || c.action === action));

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true, expiryVisibilityDelayMs: 50 });
  shims = await manualRenewalShims();
  host = await startRenewalHost(emulator, 3000);
});
afterAll(async () => {
  await host?.kill();
  await emulator?.close();
});

describe("intents", () => {
  it("the default intent, one month: one order, the new expiry awaited and recorded", async () => {
    const id = instance();
    const before = emulator.instance(id)!.expiredTime;
    const out = await renew("month", { instanceId: id });
    expect(out).toMatchObject({ skipped: false, period: 1, periodUnit: "Month", previousExpiredTime: before, price: 100, currency: "CNY", orderId: charges(id)[0].orderId, reason: "ordered: renew by 1 Month" });
    expect(out.clientToken).toMatch(/^[0-9a-f]{64}$/);
    expect(out.expiredTime).toBe(charges(id)[0].newExpiredTime);
    expect(Date.parse(out.renewedAt as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(charges(id)).toEqual([expect.objectContaining({ period: 1, periodUnit: "Month", clientToken: out.clientToken })]);
  });

  it("weeks: ordered without a price, since DescribeRenewalPrice prices no Week", async () => {
    const id = instance();
    const before = Date.parse(emulator.instance(id)!.expiredTime);
    const out = await renew("weeks", { instanceId: id, period: 2, periodUnit: "Week" });
    expect(Date.parse(out.expiredTime as string) - before).toBe(14 * DAY);
    expect(out).toMatchObject({ confirmed: true, expectedExpiredTime: out.expiredTime });
    expect(out.price).toBeUndefined();
    expect(charges(id)).toEqual([expect.objectContaining({ amount: 50 })]);
    expect(calls(id, "DescribeRenewalPrice")).toEqual([]);
  });

  it("expectedRenewDay renews to the account's unified expiration day: 00:00 UTC+8, at least a month on", async () => {
    const id = instance();
    const before = Date.parse(emulator.instance(id)!.expiredTime);
    const out = await renew("day", { instanceId: id, expectedRenewDay: 7 });
    const local = new Date(Date.parse(out.expiredTime as string) + 8 * 3_600_000);
    expect([local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes()]).toEqual([7, 0, 0]);
    expect(Date.parse(out.expiredTime as string) - before).toBeGreaterThanOrEqual(28 * DAY);
    expect(out).toMatchObject({ confirmed: true, expectedExpiredTime: out.expiredTime, price: charges(id)[0].amount });
    expect(charges(id)).toEqual([expect.objectContaining({ expectedRenewDay: 7 })]);
  });

  it("ensureExpiresAfter orders the smallest monthly period that reaches the date, then nothing once met", async () => {
    const id = instance({ expiresInDays: 20 });
    const target = new Date(Date.parse(emulator.instance(id)!.expiredTime) + 70 * DAY).toISOString().slice(0, 10);
    await renew("keep", { instanceId: id, ensureExpiresAfter: target });
    expect(charges(id)).toEqual([expect.objectContaining({ period: 3, periodUnit: "Month" })]);
    const again = await renew("keep-2", { instanceId: id, ensureExpiresAfter: target });
    expect(again).toMatchObject({ skipped: true, orderId: "", reason: expect.stringMatching(/^already expires at .*, after /) });
    expect(charges(id)).toHaveLength(1);
  });

  it("the same declaration again (a lost state write, the renewal not showing yet) gets the first order back", async () => {
    const id = instance();
    const first = await renew("again", { instanceId: id, period: 1 });
    // As if the first run's state was lost and its renewal did not show when the plan was made.
    const second = await renew("again", { instanceId: id, period: 1 }, { plannedFrom: "" });
    // ECS answered with the first order; the expiry cannot move as far again, so it stays unconfirmed.
    expect(second).toMatchObject({ orderId: first.orderId, confirmed: false });
    expect(charges(id)).toHaveLength(1);
  });
});

describe("prices: DescribeRenewalPrice prices 1–9 months and 1–3 years only", () => {
  it.each([
    ["12 months, priced as 1 Year", 12, 1020],
    ["2 years (24 months), priced as 2 Year", 24, 2040],
  ])("%s: without maxPrice ordered at that price; with maxPrice below it refused, at or above it ordered", async (_what, period, yearPrice) => {
    const id = instance({ expiresInDays: 20 });
    await expect(renew(`years-low-${period}`, { instanceId: id, period, maxPrice: yearPrice - 1 })).rejects.toThrow(
      new RegExp(`would cost ${yearPrice} CNY, above maxPrice ${yearPrice - 1}\\. Nothing was charged\\.`),
    );
    expect(charges(id)).toEqual([]);
    const guarded = await renew(`years-ok-${period}`, { instanceId: id, period, maxPrice: yearPrice });
    expect(guarded).toMatchObject({ price: yearPrice, currency: "CNY", confirmed: true });
    expect(charges(id)).toEqual([expect.objectContaining({ period, periodUnit: "Month", amount: yearPrice })]);
    const other = instance({ expiresInDays: 20 });
    expect(await renew(`years-free-${period}`, { instanceId: other, period })).toMatchObject({ price: yearPrice });
    expect(charges(other)).toEqual([expect.objectContaining({ amount: yearPrice })]);
  });

  it("48 months cannot be priced: ordered without a price; with maxPrice refused, as the guard cannot be checked", async () => {
    const id = instance({ expiresInDays: 20 });
    await expect(renew("unpriced-guarded", { instanceId: id, period: 48, maxPrice: 100_000 })).rejects.toThrow(
      /\(renew by 48 Months, 48 Month\) cannot be priced: DescribeRenewalPrice prices 1–9 months and 1, 2 or 3 years .* maxPrice 100000 cannot be checked\. Nothing was charged\. Remove maxPrice/,
    );
    expect(calls(id, "DescribeRenewalPrice")).toEqual([]);
    const out = await renew("unpriced", { instanceId: id, period: 48 });
    expect(out).toMatchObject({ skipped: false, confirmed: true });
    expect(out.price).toBeUndefined();
    expect(charges(id)).toEqual([expect.objectContaining({ period: 48, amount: 4080 })]);
  });
});

describe("orders still processing: waited out with the same token, one charge", () => {
  it("Idempotence.Processing and LastTokenProcessing answers are retried with the same token", async () => {
    const id = instance();
    emulator.faults.add({ action: "RenewInstance", kind: "error", code: "Idempotence.Processing", status: 400, instanceId: id, times: 2 });
    emulator.faults.add({ action: "RenewInstance", kind: "error", code: "LastTokenProcessing", status: 403, instanceId: id, times: 1 });
    const out = await renew("processing", { instanceId: id });
    const attempts = calls(id, "RenewInstance");
    expect(attempts.map((c) => c.outcome)).toEqual(["Idempotence.Processing", "Idempotence.Processing", "LastTokenProcessing", "ok"]);
    expect(new Set(attempts.map((c) => c.clientToken))).toEqual(new Set([out.clientToken]));
    expect(charges(id)).toHaveLength(1);
    expect(out).toMatchObject({ orderId: charges(id)[0].orderId, confirmed: true });
  });

  it("an answer lost, then ECS's own LastTokenProcessing while the order settles: the same token gets the first order", async () => {
    const settling = await startEmulator({ fleet: FLEET, quiet: true, expiryVisibilityDelayMs: 1500 });
    const settlingHost = await startRenewalHost(settling, 5000);
    try {
      const id = instance({}, settling);
      settling.faults.add({ action: "RenewInstance", kind: "apply-then-fail", drop: true, times: 1 });
      const out = await renew("settling", { instanceId: id }, { on: settlingHost });
      const outcomes = settling.calls().filter((c) => c.action === "RenewInstance").map((c) => c.outcome);
      expect(outcomes[0]).toBe("dropped");
      expect(outcomes).toContain("LastTokenProcessing");
      expect(outcomes.at(-1)).toBe("ok");
      expect(charges(id, settling)).toHaveLength(1);
      expect(out).toMatchObject({ orderId: charges(id, settling)[0].orderId, confirmed: true, expiredTime: charges(id, settling)[0].newExpiredTime });
    } finally {
      await settlingHost.kill();
      await settling.close();
    }
  });

  it("after an attempt without an answer, a later refusal does not make it 'nothing was charged': the expiry decides", async () => {
    // Charged, answer lost (500 after applying); the retry is refused outright. The expiry shows the order.
    const charged = instance();
    emulator.faults.add({ action: "RenewInstance", kind: "apply-then-fail", instanceId: charged, times: 1 });
    emulator.faults.add({ action: "RenewInstance", kind: "error", code: "InvalidParameter", status: 400, instanceId: charged, times: 1 });
    const out = await renew("lost-then-refused", { instanceId: charged });
    expect(charges(charged)).toHaveLength(1);
    expect(out).toMatchObject({ orderId: "", expiredTime: charges(charged)[0].newExpiredTime, reason: expect.stringContaining("the order id is unknown, but the expiry moved") });

    // Dropped before anything happened, then refused: ECS may or may not hold an order, and nothing says it does not.
    const unknown = instance();
    emulator.faults.add({ action: "RenewInstance", kind: "drop", instanceId: unknown, times: 1 });
    emulator.faults.add({ action: "RenewInstance", kind: "error", code: "InvalidParameter", status: 400, instanceId: unknown, times: 1 });
    const error = (await renew("dropped-then-refused", { instanceId: unknown }).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/Whether ECS placed the order is unknown, and the expiry has not moved\. Run pulumi up again/);
    expect(error.message).not.toContain("Nothing was charged");
    expect(charges(unknown)).toEqual([]);
  });
});

describe("skips: nothing charged, the outputs say why", () => {
  it("expires later than onlyIfExpiresWithinDays", async () => {
    const id = instance({ expiresInDays: 100 });
    const out = await renew("later", { instanceId: id, period: 1, onlyIfExpiresWithinDays: 15 });
    expect(out).toMatchObject({ skipped: true, orderId: "", reason: expect.stringMatching(/\(\d+ days left\), later than onlyIfExpiresWithinDays 15$/) });
    expect(out.expiredTime).toBe(emulator.instance(id)!.expiredTime);
    expect(calls(id, "RenewInstance")).toEqual([]);
  });

  it("already renewed since the plan (someone else, or an attempt whose result was lost): not even the token is sent", async () => {
    const id = instance();
    const planned = emulator.instance(id)!.expiredTime;
    await renew("someone-else", { instanceId: id, period: 1 });
    const renewCalls = calls(id, "RenewInstance").length;
    const out = await renew("mine", { instanceId: id, period: 1 }, { plannedFrom: planned });
    expect(out).toMatchObject({ skipped: true, orderId: "", previousExpiredTime: planned, reason: expect.stringMatching(/^already renewed: it expired at .* when this renewal was planned/) });
    expect(calls(id, "RenewInstance")).toHaveLength(renewCalls);
    expect(charges(id)).toHaveLength(1);
  });

  it("two declarations for one instance in one run take turns: the second sees the first's renewal", async () => {
    const id = instance();
    const planned = emulator.instance(id)!.expiredTime;
    const [a, b] = await Promise.all([renew("turn-a", { instanceId: id }, { plannedFrom: planned }), renew("turn-b", { instanceId: id }, { plannedFrom: planned })]);
    expect([a.skipped, b.skipped].sort()).toEqual([false, true]);
    expect(charges(id)).toHaveLength(1);
  });
});

describe("refusals: before any charge, with what to do", () => {
  it.each([
    ["a Pay-As-You-Go instance", { instanceId: "i-mr00000003" }, /Pay-As-You-Go.*Nothing was charged\. Remove this ManualRenewal/],
    ["a NotRenewal instance", { instanceId: "i-mr00000004" }, /NotRenewal.*Nothing was charged\..*set it to Normal first/],
    ["a price above maxPrice", { instanceId: "i-mr00000005", maxPrice: 500 }, /would cost 900 CNY, above maxPrice 500\. Nothing was charged\. Raise maxPrice/],
    ["an instance that does not exist", { instanceId: "i-mrnosuch01" }, /found no instance i-mrnosuch01 in region cn-hangzhou\. Nothing was charged/],
    ["a date one renewal cannot reach", { instanceId: "i-mr00000005", ensureExpiresAfter: "2031-12-31" }, /more than 60 months.*Nothing was charged\. Use an earlier date/],
  ])("refuses %s", async (_n, args, message) => {
    const before = emulator.ledger().length;
    await expect(renew(`refuse-${++serial}`, args)).rejects.toThrow(message);
    expect(emulator.ledger()).toHaveLength(before);
  });

  it("refuses when the balance is too low, with the API's code", async () => {
    const id = instance();
    emulator.setBalance(10);
    try {
      await expect(renew("poor", { instanceId: id })).rejects.toThrow(/balance is too low.*Top up.*InvalidAccountStatus\.NotEnoughBalance.*Nothing was charged\./);
    } finally {
      emulator.setBalance(1_000_000);
    }
    expect(charges(id)).toEqual([]);
  });

  it("refuses an expectedRenewDay that is not the account's unified expiration day", async () => {
    const id = instance();
    await expect(renew("unified", { instanceId: id, expectedRenewDay: 9 })).rejects.toThrow(/refused expectedRenewDay 9 .*unified expiration day set for the account.*Nothing was charged\. Set the account's unified expiration day to 9/);
    expect(charges(id)).toEqual([]);
    expect(calls(id, "RenewInstance")).toEqual([]);
  });

  it("refuses a renewal to the unified day of an instance that has expired, before asking ECS", async () => {
    const id = instance({ expiresInDays: -1 });
    await expect(renew("expired-day", { instanceId: id, expectedRenewDay: 7 })).rejects.toThrow(/renews only an instance that has not expired to the unified expiration day\. Nothing was charged\. Renew it by period first/);
    expect(calls(id, "RenewInstance")).toEqual([]);
  });

  it("check refuses bad input before any call, through the host", async () => {
    const bad = async (args: Props) => (await host.check(urn(ORDER, "bad"), {}, { instanceId: "i-mr00000005", scope: "s", ...args, __provider: shims[ORDER] })).failures;
    expect(await bad({ period: 10 })).toEqual([{ property: "period", reason: expect.stringContaining('period: 10 is not allowed with periodUnit "Month"; use one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60') }]);
    expect(await bad({ period: 1, expectedRenewDay: 3 })).toEqual([expect.objectContaining({ property: "expectedRenewDay", reason: expect.stringContaining("cannot be combined with period") })]);
    expect(await bad({ ensureExpiresAfter: "2020-01-01" })).toEqual([expect.objectContaining({ property: "ensureExpiresAfter", reason: expect.stringContaining("is in the past") })]);
    expect(await bad({ maxPrice: -1 })).toEqual([expect.objectContaining({ property: "maxPrice", reason: expect.stringContaining("-1") })]);
    expect(await bad({ periodUnit: "month", period: 1 })).toEqual([expect.objectContaining({ property: "periodUnit", reason: expect.stringContaining("case-sensitive") })]);
  });
});

describe("after the order", () => {
  it("a new expiry invisible for 5 minutes of emulator time: created unconfirmed; up's diff updates it; refresh confirms it; nothing ordered again", async () => {
    // An account whose renewals take five minutes to show, longer than this host waits (0.5 s).
    const slow = await startEmulator({ fleet: { balance: 10_000, instances: [] }, quiet: true, expiryVisibilityDelayMs: 5 * 60_000 });
    const slowHost = await startRenewalHost(slow, 500);
    try {
      const id = instance({}, slow);
      const before = slow.instance(id)!.expiredTime;
      const out = await renew("slow", { instanceId: id }, { on: slowHost });
      const [charge] = charges(id, slow);
      expect(out).toMatchObject({ orderId: charge.orderId, skipped: false, confirmed: false, expiredTime: before, expectedExpiredTime: charge.newExpiredTime });
      expect(out.reason).toMatch(/^ordered \(order \d+\), unconfirmed: the new expiry had not shown after \d+ s .*pulumi refresh or the next pulumi up confirms it and orders nothing$/);

      // The next up: the diff asks for an update (not a replacement), which finds it still settling.
      const news = (await slowHost.check(urn(ORDER, "slow-order"), out, { instanceId: id, scope: "renewal/test/slow", plannedFromExpiredTime: out.plannedFromExpiredTime, __provider: shims[ORDER] })).inputs;
      expect(await slowHost.diff(charge.orderId, urn(ORDER, "slow-order"), out, news)).toMatchObject({ changes: "some", replaces: [] });
      const still = (await slowHost.update(charge.orderId, urn(ORDER, "slow-order"), out, news)).properties;
      expect(still).toMatchObject({ confirmed: false, expiredTime: before, reason: expect.stringContaining(`ECS still shows the expiry ${before}, before the ${charge.newExpiredTime} this order gives`) });

      // Five minutes later on the emulator's clock the expiry shows: refresh confirms it.
      slow.clock.advance(5 * 60_000);
      const read = await slowHost.read(charge.orderId, urn(ORDER, "slow-order"), still);
      expect(read.properties).toMatchObject({ confirmed: true, expiredTime: charge.newExpiredTime, reason: "ordered: renew by 1 Month" });
      expect(await slowHost.diff(charge.orderId, urn(ORDER, "slow-order"), read.properties, news)).toMatchObject({ changes: "none" });
      expect(charges(id, slow)).toHaveLength(1);
      expect(slow.calls().filter((c) => c.action === "RenewInstance")).toHaveLength(1);
    } finally {
      await slowHost.kill();
      await slow.close();
    }
  });

  it("diff: a new intent or renewalKey replaces; a guard change updates; the quote and the plan's expiry change nothing", async () => {
    const id = instance();
    const d = (olds: Props, news: Props) => host.diff("o", urn(ORDER, "d-order"), olds, news);
    const check = async (news: Props, olds: Props = {}) => (await host.check(urn(ORDER, "d-order"), olds, { instanceId: id, scope: "s", ...news, __provider: shims[ORDER] })).inputs;
    const old = await check({ period: 1 });
    expect(await d(old, await check({ period: 2 }, old))).toMatchObject({ changes: "some", replaces: ["period", "clientToken"] });
    expect(await d(old, await check({ period: 1, renewalKey: "2027" }, old))).toMatchObject({ changes: "some", replaces: ["renewalKey", "clientToken"] });
    expect(await d(old, await check({ period: 1, maxPrice: 50 }, old))).toMatchObject({ changes: "some", replaces: [] });
    expect(await d(old, await check({ period: 1, quote: { price: 100 }, plannedFromExpiredTime: "2026-12-01T16:00Z" }, old))).toMatchObject({ changes: "none" });
    const planOld = (await host.check(urn(PLAN, "d-plan"), {}, { instanceId: id, scope: "s", __provider: shims[PLAN] })).inputs;
    const planNew = (await host.check(urn(PLAN, "d-plan"), planOld, { instanceId: id, scope: "s", period: 1, __provider: shims[PLAN] })).inputs;
    expect(await host.diff("p", urn(PLAN, "d-plan"), { ...planOld, plannedFromExpiredTime: "2026-12-01T16:00Z" }, planNew)).toMatchObject({ changes: "none" });
  });

  it("update records new guards and calls nothing; refresh records the expiry only; delete calls nothing", async () => {
    const id = instance();
    const out = await renew("life", { instanceId: id });
    const before = emulator.calls().length;
    const news = (await host.check(urn(ORDER, "life-order"), out, { instanceId: id, scope: "renewal/test/life", maxPrice: 300, plannedFromExpiredTime: out.plannedFromExpiredTime, __provider: shims[ORDER] })).inputs;
    const { properties } = await host.update(String(out.orderId), urn(ORDER, "life-order"), out, news);
    expect(properties).toMatchObject({ ...out, maxPrice: 300 });
    expect(emulator.calls()).toHaveLength(before);

    emulator.putInstance({ instanceId: id, expiredTime: "2028-01-01T16:00Z" });
    const read = await host.read(String(out.orderId), urn(ORDER, "life-order"), properties);
    expect(read.properties).toMatchObject({ ...properties, expiredTime: "2028-01-01T16:00Z" });
    expect(read.inputs).not.toHaveProperty("orderId");
    expect(read.inputs).toMatchObject({ instanceId: id, maxPrice: 300 });

    const lines = host.stdout.length + host.stderr.length;
    await host.delete(String(out.orderId), urn(ORDER, "life-order"), read.properties);
    expect(calls(id, "RenewInstance")).toHaveLength(1);
    expect(charges(id)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 50));
    expect([...host.stdout, ...host.stderr].join("\n")).toContain(`order ${out.orderId} for ${id}; nothing is charged and nothing is refunded`);
    expect(host.stdout.length + host.stderr.length).toBeGreaterThan(lines);
  });
});
