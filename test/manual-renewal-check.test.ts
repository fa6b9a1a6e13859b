// ManualRenewal without a cloud: check (so preview) rejects bad input naming property, value and what is
// allowed; the client token is deterministic and covers exactly what identifies a renewal; the decision
// table (provider/manual-renewal/decision.ts) row by row; the charging call's retry rule.
import { ClientError, ServerError, ThrottlingError } from "@alicloud/openapi-core";
import { describe, expect, it } from "vitest";
import type { InstanceInfo } from "../provider/ecs/client";
import { describeEcsError } from "../provider/ecs/errors";
import { retryableForOrder } from "../provider/manual-renewal/controller";
import { decide, overPrice, planRenewal, type RenewalFacts } from "../provider/manual-renewal/decision";
import { checkRenewalOrder, checkRenewalPlan, intentOf } from "../provider/manual-renewal/schema";
import { UNKNOWN } from "../provider/unknowns";
import { MANUAL_RENEWAL_BAD_INPUTS } from "./support/bad-inputs";

const NOW = new Date("2026-11-22T04:00:00Z");
const ctx = { defaultRegion: "cn-hangzhou", now: NOW };
const base = { instanceId: "i-bp1demo000000000001", scope: "proj/dev/urgent" };
const check = (news: Record<string, unknown>, olds: Record<string, unknown> = {}) => checkRenewalOrder(olds, { ...base, ...news }, ctx);
const token = (news: Record<string, unknown>) => check(news).inputs.clientToken;

describe("check", () => {
  it.each(MANUAL_RENEWAL_BAD_INPUTS)("rejects %s", (_name, inputs, property, words) => {
    const { failures } = check(inputs);
    const failure = failures.find((f) => f.property === property);
    expect(failure, JSON.stringify(failures)).toBeDefined();
    expect(failure!.reason.startsWith(`${property}:`)).toBe(true);
    for (const w of words) expect(failure!.reason).toContain(w);
  });

  it.each([
    ["ensureExpiresAfter with expectedRenewDay", { expectedRenewDay: 3, ensureExpiresAfter: "2099-01-01" }, "ensureExpiresAfter", "cannot be combined with expectedRenewDay"],
    ["Week in lower case", { period: 1, periodUnit: "week" }, "periodUnit", "case-sensitive"],
    ["a fractional period", { period: 1.5 }, "period", "whole number"],
    ["onlyIfExpiresWithinDays negative", { onlyIfExpiresWithinDays: -3 }, "onlyIfExpiresWithinDays", "above 0"],
    ["a date with a time in the past", { ensureExpiresAfter: "2026-11-21T10:00Z" }, "ensureExpiresAfter", "in the past"],
    ["a region in the wrong form", { regionId: "Hangzhou" }, "regionId", "cn-hangzhou"],
    ["a plan time that is not an ECS time", { plannedFromExpiredTime: "yesterday" }, "plannedFromExpiredTime", "not an ECS time"],
    ["a Terraform-style property", { renewal_period: 1 }, "renewal_period", "unknown property"],
  ])("rejects %s", (_name, inputs, property, words) => {
    const failure = check(inputs).failures.find((f) => f.property === property);
    expect(failure?.reason).toContain(words);
  });

  it("fills the default intent (one month) and the region, and derives a 64-character hex token", () => {
    const { inputs, failures } = check({});
    expect(failures).toEqual([]);
    expect(inputs).toEqual({ ...base, regionId: "cn-hangzhou", period: 1, periodUnit: "Month", clientToken: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("says where the region can come from when none is set", () => {
    const { failures } = checkRenewalOrder({}, base, { now: NOW });
    expect(failures).toEqual([{ property: "regionId", reason: expect.stringContaining("alicloud:region") }]);
  });

  it("the token is the same for the same declaration and intent, run after run", () => {
    expect(token({ period: 3 })).toBe(token({ period: 3, periodUnit: "Month" }));
    expect(token({})).toBe(token({ period: 1 }));
  });

  it("the token changes with instance, region, intent, renewalKey and declaration; not with the guards", () => {
    const first = token({ period: 1 });
    const changed = [
      token({ period: 1, instanceId: "i-bp1demo000000000002" }),
      token({ period: 1, regionId: "cn-shanghai" }),
      token({ period: 2 }),
      token({ period: 1, periodUnit: "Week" }),
      token({ expectedRenewDay: 1 }),
      token({ ensureExpiresAfter: "2099-01-01" }),
      token({ period: 1, renewalKey: "2027" }),
      token({ period: 1, scope: "proj/prod/urgent" }),
    ];
    expect(new Set([first, ...changed]).size).toBe(changed.length + 1);
    expect(token({ period: 1, maxPrice: 10, onlyIfExpiresWithinDays: 15 })).toBe(first);
    expect(token({ period: 1, quote: { price: 1 }, plannedFromExpiredTime: "2026-12-01T16:00Z" })).toBe(first);
  });

  it("keeps preview's unknown values; an unknown part makes the token unknown", () => {
    const { inputs, failures } = check({ instanceId: UNKNOWN, period: 3 });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ instanceId: UNKNOWN, period: 3, clientToken: UNKNOWN });
    expect(check({ period: 3, plannedFromExpiredTime: UNKNOWN }).inputs.clientToken).toMatch(/^[0-9a-f]{64}$/);
    expect(check({ period: UNKNOWN }).failures).toEqual([]);
  });

  it("a target date that has passed since it was declared stays valid", () => {
    const olds = { ...base, ensureExpiresAfter: "2026-01-01" };
    expect(check({ ensureExpiresAfter: "2026-01-01" }, olds).failures).toEqual([]);
  });

  it("a renamed declaration (same renewal, new scope, e.g. through aliases) keeps its token", () => {
    const old = check({ period: 1 }).inputs;
    const renamed = check({ period: 1, scope: "proj/dev/renamed" }, old).inputs;
    expect(renamed).toMatchObject({ scope: old.scope, clientToken: old.clientToken });
    const renamedAndChanged = check({ period: 2, scope: "proj/dev/renamed" }, old).inputs;
    expect(renamedAndChanged.scope).toBe("proj/dev/renamed");
    expect(renamedAndChanged.clientToken).not.toBe(old.clientToken);
  });

  it("an empty plan time (the plan found no instance) is left out", () => {
    expect(check({ plannedFromExpiredTime: "" }).inputs).not.toHaveProperty("plannedFromExpiredTime");
  });

  it("the plan takes only what identifies the renewal, and derives the order's token", () => {
    const plan = checkRenewalPlan({}, { ...base, period: 2 }, ctx);
    expect(plan.failures).toEqual([]);
    expect(plan.inputs.clientToken).toBe(token({ period: 2, maxPrice: 5 }));
    expect(checkRenewalPlan({}, { ...base, maxPrice: 5 }, ctx).failures).toEqual([{ property: "maxPrice", reason: expect.stringContaining("unknown property") }]);
  });
});

const info = (over: Partial<InstanceInfo> = {}): InstanceInfo => ({
  id: "i-bp1demo000000000001",
  instanceId: "i-bp1demo000000000001",
  regionId: "cn-hangzhou",
  expiredTime: "2026-12-01T16:00Z",
  chargeType: over.instanceChargeType ?? "PrePaid",
  instanceChargeType: "PrePaid",
  status: "Running",
  lockReasons: [],
  tags: {},
  ...over,
});
const facts = (over: Partial<RenewalFacts> = {}): RenewalFacts => ({
  id: "i-bp1demo000000000001",
  regionId: "cn-hangzhou",
  info: info(),
  renewalStatus: "Normal",
  intent: { kind: "period", period: 1, periodUnit: "Month" },
  now: NOW,
  site: "china",
  ...over,
});

describe("the decision table", () => {
  it("1: refuses an instance ECS does not know", () => {
    expect(decide(facts({ info: undefined }))).toMatchObject({ action: "refuse", message: expect.stringMatching(/found no instance .* in region cn-hangzhou\. Nothing was charged\. Check instanceId/) });
  });

  it("2: refuses Pay-As-You-Go", () => {
    expect(decide(facts({ info: info({ instanceChargeType: "PostPaid" }) }))).toMatchObject({ action: "refuse", message: expect.stringMatching(/Pay-As-You-Go.*Nothing was charged\. Remove this ManualRenewal/) });
  });

  it("3: refuses NotRenewal", () => {
    expect(decide(facts({ renewalStatus: "NotRenewal" }))).toMatchObject({ action: "refuse", message: expect.stringMatching(/NotRenewal.*Nothing was charged\. .*set it to Normal first/) });
  });

  it("4: skips when the instance already expires the intent's period after the planned expiry", () => {
    const d = decide(facts({ plannedFrom: new Date("2026-11-01T16:00Z"), info: info({ expiredTime: "2026-12-01T16:00Z" }) }));
    expect(d).toMatchObject({ action: "skip", reason: expect.stringMatching(/^already renewed: it expired at 2026-11-01T16:00Z .* now expires at 2026-12-01T16:00Z/), previousExpiry: new Date("2026-11-01T16:00Z") });
    // Not renewed far enough since the plan: order.
    expect(decide(facts({ plannedFrom: new Date("2026-11-01T16:00Z"), info: info({ expiredTime: "2026-11-20T16:00Z" }) })).action).toBe("order");
    // Unchanged since the plan: order.
    expect(decide(facts({ plannedFrom: new Date("2026-12-01T16:00Z") })).action).toBe("order");
    // Weeks and the unified expiry day, too (planned from 1 November, day 2 is 2 December at the earliest: at least a month on).
    expect(decide(facts({ intent: { kind: "period", period: 2, periodUnit: "Week" }, plannedFrom: new Date("2026-11-17T16:00Z") })).action).toBe("skip");
    expect(decide(facts({ intent: { kind: "expectedRenewDay", expectedRenewDay: 2 }, plannedFrom: new Date("2026-10-31T16:00Z"), info: info({ expiredTime: "2026-12-01T16:00Z" }) })).action).toBe("skip");
    expect(decide(facts({ intent: { kind: "expectedRenewDay", expectedRenewDay: 2 }, plannedFrom: new Date("2026-11-25T16:00Z") })).action).toBe("order");
  });

  it("5: skips when the instance already expires after ensureExpiresAfter", () => {
    expect(decide(facts({ intent: { kind: "ensureExpiresAfter", ensureExpiresAfter: "2026-11-30" } }))).toMatchObject({ action: "skip", reason: "already expires at 2026-12-01T16:00Z, after 2026-11-30" });
  });

  it("6: skips when the instance expires later than onlyIfExpiresWithinDays", () => {
    expect(decide(facts({ onlyIfExpiresWithinDays: 5 }))).toMatchObject({ action: "skip", reason: "expires at 2026-12-01T16:00Z (9 days left), later than onlyIfExpiresWithinDays 5" });
    expect(decide(facts({ onlyIfExpiresWithinDays: 15 })).action).toBe("order");
  });

  it("7: refuses a price above maxPrice, naming price and currency; with maxPrice set, an order ECS cannot price", () => {
    const price = { tradePrice: 120, originalPrice: 120, discountPrice: 0, currency: "CNY" };
    const month = { period: 1, periodUnit: "Month" as const, newExpiry: NOW };
    expect(overPrice("i-1", intentOf({ period: 1 }), month, price, 100)).toBe("Renewing instance i-1 (renew by 1 Month) would cost 120 CNY, above maxPrice 100. Nothing was charged. Raise maxPrice, or choose a shorter period.");
    expect(overPrice("i-1", intentOf({ period: 1 }), month, price, 120)).toBeUndefined();
    expect(overPrice("i-1", intentOf({ period: 1 }), month, price, undefined)).toBeUndefined();
    const years = { period: 48, periodUnit: "Month" as const, newExpiry: NOW };
    expect(overPrice("i-1", intentOf({ period: 48 }), years, undefined, 5000)).toMatch(/cannot be priced: DescribeRenewalPrice prices 1–9 months and 1, 2 or 3 years .* Nothing was charged\. Remove maxPrice/);
    expect(overPrice("i-1", intentOf({ period: 48 }), years, undefined, undefined)).toBeUndefined();
  });

  it("3: refuses a renewal to the unified day of an instance that has expired", () => {
    const expired = decide(facts({ intent: { kind: "expectedRenewDay", expectedRenewDay: 5 }, info: info({ expiredTime: "2026-11-20T16:00Z", status: "Stopped" }) }));
    expect(expired).toMatchObject({ action: "refuse", message: expect.stringMatching(/expired at .* renews only an instance that has not expired to the unified expiration day\. Nothing was charged\. Renew it by period first/) });
  });

  it("8: the unified day: 00:00 UTC+8 of that day, at least a calendar month after the expiry", () => {
    // 2 December 00:00 Beijing; day 12: 12 January (12 December is less than a month away).
    expect(decide(facts({ intent: { kind: "expectedRenewDay", expectedRenewDay: 12 } }))).toMatchObject({ parameters: { expectedRenewDay: 12, newExpiry: new Date("2027-01-11T16:00Z") } });
    // Day 1: 1 January is less than a month after 2 December, so 1 February.
    expect(decide(facts({ intent: { kind: "expectedRenewDay", expectedRenewDay: 1 } }))).toMatchObject({ parameters: { newExpiry: new Date("2027-01-31T16:00Z") } });
  });

  it("8: orders the intent's parameters, from now for an expired instance", () => {
    expect(decide(facts())).toMatchObject({ action: "order", parameters: { period: 1, periodUnit: "Month", newExpiry: new Date("2027-01-01T16:00Z") } });
    const expired = decide(facts({ info: info({ expiredTime: "2026-11-20T16:00Z", status: "Stopped" }) }));
    expect(expired).toMatchObject({ action: "order", parameters: { newExpiry: new Date("2026-12-22T04:00Z") } });
  });

  it("ensureExpiresAfter orders the smallest monthly period that passes the date, or refuses one beyond reach", () => {
    const expiry = new Date("2026-12-01T16:00Z");
    expect(planRenewal({ kind: "ensureExpiresAfter", ensureExpiresAfter: "2027-02-15" }, expiry, NOW, "china")).toMatchObject({ period: 3, periodUnit: "Month" });
    expect(planRenewal({ kind: "ensureExpiresAfter", ensureExpiresAfter: "2027-09-15" }, expiry, NOW, "china")).toMatchObject({ period: 12 });
    expect(planRenewal({ kind: "ensureExpiresAfter", ensureExpiresAfter: "2028-09-15" }, expiry, NOW, "china")).toMatchObject({ period: 24 });
    expect(decide(facts({ intent: { kind: "ensureExpiresAfter", ensureExpiresAfter: "2032-12-31" } }))).toMatchObject({ action: "refuse", message: expect.stringContaining("more than 60 months") });
    // The international site renews by 12 months at most.
    expect(decide(facts({ site: "international", intent: { kind: "ensureExpiresAfter", ensureExpiresAfter: "2028-09-15" } }))).toMatchObject({ action: "refuse", message: expect.stringContaining("more than 12 months") });
  });
});

describe("the charging call's retry rule", () => {
  const rule = retryableForOrder(250);
  const client = (code: string, statusCode = 400) => new ClientError({ statusCode, code, message: code, data: { Code: code, Message: code, RequestId: "R" }, requestId: "R" });

  it("retries throttling, 5xx, no answer and a request never sent", () => {
    expect(rule(new ThrottlingError({ statusCode: 400, code: "Throttling.User", message: "t", data: { Code: "Throttling.User" }, retryAfter: 300 }))).toEqual({ retry: true, minDelayMs: 300, timing: true });
    expect(rule(new ServerError({ statusCode: 503, code: "ServiceUnavailable", message: "s", data: { Code: "ServiceUnavailable" } })).retry).toBe(true);
    expect(rule(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })).retry).toBe(true);
    expect(rule(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })).retry).toBe(true);
  });

  it("waits before re-sending an order ECS says is still processing", () => {
    expect(rule(client("LastOrderProcessing"))).toEqual({ retry: true, minDelayMs: 250, timing: true });
    expect(rule(client("LastTokenProcessing", 403))).toEqual({ retry: true, minDelayMs: 250, timing: true });
    expect(rule(client("Idempotence.Processing"))).toEqual({ retry: true, minDelayMs: 250, timing: true });
  });

  it("does not retry when there are no credentials, and says what to set", () => {
    const error = new Error("unable to get credentials from any of the providers in the chain: unable to get credentials from enviroment variables, …");
    expect(rule(error).retry).toBe(false);
    expect(describeEcsError(error, { action: "RenewInstance", regionId: "cn-hangzhou", instanceIds: ["i-1"] }).message).toMatch(/^No Alibaba Cloud credentials were found for RenewInstance on instance i-1\. Set stack config alicloud:accessKey/);
  });

  it("fails at once on anything else", () => {
    for (const code of ["InvalidAccountStatus.NotEnoughBalance", "IdempotentParameterMismatch", "IncorrectInstanceStatus", "InvalidPeriod", "Forbidden.RAM"]) {
      expect(rule(client(code, 403)).retry, code).toBe(false);
    }
  });
});
