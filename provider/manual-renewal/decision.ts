// Whether a renewal order may charge, decided from what ECS reports before any charge. Pure: the
// controller gathers the facts (one batched read each), this module decides, the controller acts.
//
// The decision table, in the order it is applied (E = the ExpiredTime read now; P = the expiry the
// order's plan recorded the first time this intent was planned, kept in state across runs):
//
//   | # | situation                                              | decision                                  |
//   |---|--------------------------------------------------------|-------------------------------------------|
//   | 1 | subscription not found in the region                   | refuse: nothing charged                   |
//   | 2 | Pay-As-You-Go (PostPaid)                               | refuse: nothing charged                   |
//   | 3 | renewal status NotRenewal; or expectedRenewDay for an  | refuse: nothing charged                   |
//   |   | instance that has expired (ECS renews only one that    |                                           |
//   |   | has not to the unified day)                            |                                           |
//   | 4 | P known and E >= P + the intent (1 h tolerance)        | skip: this renewal already happened       |
//   | 5 | ensureExpiresAfter and E is after that date            | skip: already met                         |
//   | 6 | onlyIfExpiresWithinDays and E is further away          | skip: not due                             |
//   | 7 | an instance on a dedicated host, the new expiry after  | refuse: nothing charged, the host and its |
//   |   | the host's (ECS: InvalidPeriod.ExceededDedicatedHost)  | expiry named                              |
//   | 8 | DescribeRenewalPrice above maxPrice, or maxPrice set   | refuse: nothing charged, price shown      |
//   |   | and the order not priceable (48/60 months, weeks)      |                                           |
//   | 9 | otherwise                                              | the family's renewal call (RenewInstance, |
//   |   |                                                        | RenewDedicatedHosts…) with the token      |
//
// Row 4 is the guard that does not depend on ECS remembering the ClientToken (it documents no retention):
// a crash between the charge and the state write leaves the plan in state, and the next run sees the
// renewal in the expiry. It sends nothing, not even the same token again: a token ECS has forgotten
// would be charged a second time, and nothing tells the two apart beforehand. The price of that choice
// is an empty orderId in that one case; the reason says what happened. What happens after row 9 —
// retries with the same token, unknown outcomes, an expiry slow to show — is in controller.ts.

import type { RenewalPrice } from "../ecs/client";
import { addRenewalPeriod, daysLeft, formatEcsTime, nextExpectedRenewDay, parseEcsTime } from "../ecs/expiry";
import { PRICEABLE, type Site } from "../ecs/value-sets";
import { INSTANCE } from "../families";
import { capital, named, type PeriodUnit, type RenewalStatus, type SubscriptionFamily, type SubscriptionInfo } from "../families/family";
import { describeIntent, type RenewalIntent } from "./schema";

const DAY_MS = 86_400_000;
/** Rounding between ECS's calendar arithmetic and ours must not hide a renewal; no renewal is this short. */
const RENEWED_TOLERANCE_MS = 3_600_000;

/** True when `expiry` is as late as a renewal expected to reach `target` (within the tolerance). */
export function reaches(expiry: Date, target: Date): boolean {
  return expiry.getTime() >= target.getTime() - RENEWED_TOLERANCE_MS;
}

/** What the renewal call is asked for, and the expiry it should produce. */
export interface RenewalParameters {
  period?: number;
  periodUnit?: PeriodUnit;
  expectedRenewDay?: number;
  newExpiry: Date;
}

export interface RenewalFacts {
  /** Default: instances. */
  family?: SubscriptionFamily;
  id: string;
  regionId: string;
  /** The family's describe call; undefined when it does not know the subscription in the region. */
  info: SubscriptionInfo | undefined;
  /** The family's auto-renew read's RenewalStatus, when it reported one. */
  renewalStatus: RenewalStatus | undefined;
  /** For an instance on a dedicated host: the host and its expiry, which the instance may not outlive. */
  host?: { id: string; expiry: Date };
  intent: RenewalIntent;
  onlyIfExpiresWithinDays?: number;
  /** The plan's expiry (row 4); undefined when there is no plan to compare with. */
  plannedFrom?: Date;
  now: Date;
  /** The account's site: which monthly periods ensureExpiresAfter may choose from. */
  site: Site;
}

export type Decision =
  | { action: "refuse"; code: string; message: string }
  | { action: "skip"; reason: string; expiry: Date; previousExpiry: Date }
  | { action: "order"; expiry: Date; parameters: RenewalParameters };

/** The renewal call's parameters an intent needs from an expiry, or why nothing is needed. */
export function planRenewal(intent: RenewalIntent, expiry: Date, now: Date, site: Site, family: SubscriptionFamily = INSTANCE): RenewalParameters | { satisfied: string } | { unreachable: string } {
  // An expired instance is renewed from the moment of renewal, not from its old expiry.
  const from = expiry.getTime() > now.getTime() ? expiry : now;
  if (intent.kind === "period") return { period: intent.period, periodUnit: intent.periodUnit, newExpiry: addRenewalPeriod(from, intent.period, intent.periodUnit) };
  if (intent.kind === "expectedRenewDay") return { expectedRenewDay: intent.expectedRenewDay, newExpiry: nextExpectedRenewDay(from, intent.expectedRenewDay) };
  const target = new Date(intent.ensureExpiresAfter);
  if (expiry.getTime() > target.getTime()) return { satisfied: `already expires at ${formatEcsTime(expiry)}, after ${intent.ensureExpiresAfter}` };
  // The shortest renewal the family takes that reaches past the date, by month, then by year.
  const periods = family.renewal!.periods[site];
  const candidates = (["Month", "Year"] as const).flatMap((unit) => (periods[unit] ?? []).map((period) => ({ period, periodUnit: unit, newExpiry: addRenewalPeriod(from, period, unit) })));
  const reached = candidates.filter((c) => c.newExpiry.getTime() > target.getTime()).sort((a, b) => a.newExpiry.getTime() - b.newExpiry.getTime());
  if (reached.length) return reached[0];
  const longest = candidates.reduce((a, b) => (b.newExpiry.getTime() > a.newExpiry.getTime() ? b : a), candidates[0]);
  const reach = longest.periodUnit === "Month" ? `${longest.period} months` : `${longest.period} years`;
  return { unreachable: `ensureExpiresAfter ${intent.ensureExpiresAfter} is more than ${reach} after ${formatEcsTime(from)}; one renewal cannot reach it` };
}

/** The expiry this intent gives when renewed from `plannedFrom` (row 4); undefined for ensureExpiresAfter (row 5 covers it). */
function renewedExpiry(intent: RenewalIntent, plannedFrom: Date): Date | undefined {
  if (intent.kind === "period") return addRenewalPeriod(plannedFrom, intent.period, intent.periodUnit);
  if (intent.kind === "expectedRenewDay") return nextExpectedRenewDay(plannedFrom, intent.expectedRenewDay);
  return undefined;
}

export function decide(f: RenewalFacts): Decision {
  const { id, info, intent, now } = f;
  const family = f.family ?? INSTANCE;
  const it = capital(named(family, id));
  const nothing = "Nothing was charged.";
  if (!info) {
    return {
      action: "refuse",
      code: family === INSTANCE ? "InvalidInstanceId.NotFound" : "NotFound",
      message: `${family.product} found no ${named(family, id)} in region ${f.regionId}. ${nothing} Check ${family.idInput} and regionId (or stack config alicloud:region); a released ${family.noun} cannot be renewed.`,
    };
  }
  if (info.chargeType !== "PrePaid") {
    return { action: "refuse", code: "ChargeTypeViolation", message: `${it} is Pay-As-You-Go (${info.chargeType}): only subscription (PrePaid) ${family.noun}s are renewed. ${nothing} Remove this ManualRenewal, or convert the ${family.noun} to subscription first.` };
  }
  if (f.renewalStatus === "NotRenewal") {
    return {
      action: "refuse",
      code: "NotRenewal",
      message: `${it} is set to NotRenewal (expire without renewal): someone decided to let it go. ${nothing} If it must live on, set it to Normal first (a${/^[aeiou]/i.test(family.resource) ? "n" : ""} ${family.resource} with renewalStatus "Normal", or the console), then apply again.`,
    };
  }
  const expiry = parseEcsTime(info.expiredTime);
  if (!expiry) {
    return { action: "refuse", code: "NoExpiredTime", message: `${family.product} reports no expiry for ${named(family, id)} (ExpiredTime ${JSON.stringify(info.expiredTime ?? "")}), so the renewal cannot be checked. ${nothing} Check the ${family.noun} in the ${family.product} console, then apply again.` };
  }
  if (intent.kind === "expectedRenewDay" && expiry.getTime() <= now.getTime()) {
    return {
      action: "refuse",
      code: "ExpiredBeforeUnifiedDay",
      message: `Instance ${id} expired at ${formatEcsTime(expiry)}, and ECS renews only an instance that has not expired to the unified expiration day. ${nothing} Renew it by period first (period: 1), then to the unified day.`,
    };
  }
  const skip = (reason: string, previousExpiry = expiry): Decision => ({ action: "skip", reason, expiry, previousExpiry });

  if (f.plannedFrom) {
    const renewed = renewedExpiry(intent, f.plannedFrom);
    if (renewed && reaches(expiry, renewed)) {
      return skip(
        `already renewed: it expired at ${formatEcsTime(f.plannedFrom)} when this renewal was planned and now expires at ${formatEcsTime(expiry)}, as far as ${describeIntent(intent)} from then reaches (${formatEcsTime(renewed)}); an earlier attempt whose result was not recorded, or someone else, renewed it. Nothing more is ordered; change renewalKey to renew again`,
        f.plannedFrom,
      );
    }
  }
  const parameters = planRenewal(intent, expiry, now, f.site, family);
  if ("satisfied" in parameters) return skip(parameters.satisfied);
  if ("unreachable" in parameters) return { action: "refuse", code: "TargetTooFar", message: `${it}: ${parameters.unreachable}. ${nothing} Use an earlier date.` };
  if (f.onlyIfExpiresWithinDays !== undefined && expiry.getTime() - now.getTime() > f.onlyIfExpiresWithinDays * DAY_MS) {
    return skip(`expires at ${formatEcsTime(expiry)} (${daysLeft(expiry, now)} days left), later than onlyIfExpiresWithinDays ${f.onlyIfExpiresWithinDays}`);
  }
  if (f.host && parameters.newExpiry.getTime() > f.host.expiry.getTime()) {
    return { action: "refuse", code: "InvalidPeriod.ExceededDedicatedHost", message: pastHost(id, intent, parameters.newExpiry, f.host) };
  }
  return { action: "order", expiry, parameters };
}

/** Row 7: an instance may not be renewed past its dedicated host's expiry. */
export function pastHost(id: string, intent: RenewalIntent, newExpiry: Date | undefined, host: { id: string; expiry: Date }): string {
  const to = newExpiry ? ` would make it expire at ${formatEcsTime(newExpiry)}, after` : " would outlive";
  return `Renewing instance ${id} (${describeIntent(intent)})${to} its dedicated host ${host.id}, which expires at ${formatEcsTime(host.expiry)}: an instance cannot be renewed past its host's expiry. Nothing was charged. Renew the host first (a ManualRenewal with dedicatedHostId: "${host.id}"), or choose a period that ends by ${formatEcsTime(host.expiry)}.`;
}

/**
 * Row 8: the refusal when the price is above maxPrice, or undefined. A price ECS cannot give (undefined)
 * fails a maxPrice guard: a guard that cannot be checked is not a guard.
 */
export function overPrice(instanceId: string, intent: RenewalIntent, p: RenewalParameters, price: RenewalPrice | undefined, maxPrice: number | undefined): string | undefined {
  if (maxPrice === undefined) return undefined;
  if (!price) {
    return `Renewing instance ${instanceId} (${describeIntent(intent)}, ${p.period} ${p.periodUnit}) cannot be priced: DescribeRenewalPrice prices ${PRICEABLE} only, so maxPrice ${maxPrice} cannot be checked. Nothing was charged. Remove maxPrice to renew without a price check, or choose a period it prices.`;
  }
  if (price.tradePrice <= maxPrice) return undefined;
  return `Renewing instance ${instanceId} (${describeIntent(intent)}) would cost ${price.tradePrice} ${price.currency}, above maxPrice ${maxPrice}. Nothing was charged. Raise maxPrice, or choose a shorter period.`;
}
