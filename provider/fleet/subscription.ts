// The one data model of the report and getExpiringInstances: a row per subscription, whatever product or
// family it is, and the one judgement of whether it lapses unless someone acts. Row sources (ECS instances,
// BSS, later more ECS families) give facts; `assess` turns facts into rows; every output format reads rows.

import { daysLeft, firstAutoRenewDeduction, formatEcsTime, insideAutoRenewWindow, nextAutoRenewDeduction } from "../ecs/expiry";

export type RenewalStatus = "AutoRenewal" | "Normal" | "NotRenewal";

/**
 * How a subscription will end, the report's three colours:
 * - `lapses`: nobody renews it in time (manual renewal, expired, or auto-renew whose first deduction passed);
 * - `auto-renew`: auto-renew deducts before it expires;
 * - `not-renewal`: someone decided to let it expire (NotRenewal).
 */
export type Risk = "lapses" | "auto-renew" | "not-renewal";

/** A subscription stops at expiry and is released this long after it unless renewed (ECS; BSS says per product). */
export const RELEASE_AFTER_DAYS = 15;
const DAY_MS = 86_400_000;

/** What a row source knows of one subscription. */
export interface SubscriptionFacts {
  /** Product code as BSS names it: "ecs", "rds", … */
  product: string;
  /** What it is within the product: "instance" for ECS instances, the family for the others read directly ("dedicatedHost", "reservedInstance", "elasticityAssurance", "emrCluster"); BSS's product type for other products. */
  kind: string;
  id: string;
  /** Region id, or "global" for products without one. */
  region: string;
  expiry: Date;
  renewalStatus: RenewalStatus;
  autoRenewDuration?: number;
  autoRenewPeriodUnit?: string;
  status: string;
  chargeType: string;
  /** When it is released if not renewed, where the source says; else RELEASE_AFTER_DAYS after expiry. */
  release?: Date;
  tags: Record<string, string>;
  /** Which API the row came from. */
  source: "ecs" | "bss" | "emr";
}

/** One row of the report. `instanceId`/`regionId` keep the names getExpiringInstances has always had. */
export interface Subscription {
  product: string;
  kind: string;
  instanceId: string;
  regionId: string;
  /** `yyyy-MM-ddTHH:mmZ`, UTC. */
  expiredTime: string;
  daysLeft: number;
  instanceChargeType: string;
  status: string;
  renewalStatus: RenewalStatus;
  autoRenewEnabled: boolean;
  autoRenewDuration?: number;
  autoRenewPeriodUnit?: string;
  /** Auto-renew's first deduction attempt: 08:00 UTC+8 on the 9th day before expiry; daily attempts until expiry. */
  autoRenewWindowStart: string;
  /** ISO time of the next auto-renew deduction attempt, if auto-renewing and one is left before expiry. */
  nextAutoRenewDeduction?: string;
  /** ISO time it is released if not renewed after it expires. */
  releaseTime: string;
  risk: Risk;
  /** True when it lapses unless someone acts (risk "lapses"). */
  atRisk: boolean;
  /** Why it lapses, or what was decided, as a sentence. */
  warning?: string;
  tags: Record<string, string>;
  source: "ecs" | "bss" | "emr";
}

/** Kept for programs written against earlier versions. */
export type ExpiringInstance = Subscription;

const day = (d: Date) => d.toISOString().slice(0, 10);

export function assess(f: SubscriptionFacts, now: Date): Subscription {
  const auto = f.renewalStatus === "AutoRenewal";
  const release = f.release ?? new Date(f.expiry.getTime() + RELEASE_AFTER_DAYS * DAY_MS);
  const expired = f.expiry.getTime() <= now.getTime();
  const next = auto && !expired ? nextAutoRenewDeduction(f.expiry, now) : undefined;
  let risk: Risk;
  let warning: string | undefined;
  if (f.renewalStatus === "NotRenewal") {
    risk = "not-renewal";
    warning = expired ? `expired without renewal, as set; released ${day(release)}` : "set to expire without renewal";
  } else if (expired) {
    risk = "lapses";
    warning = `expired: renew it now or it is released on ${day(release)}`;
  } else if (!auto) {
    risk = "lapses";
    warning = "manual renewal: nobody renews it automatically";
  } else if (insideAutoRenewWindow(f.expiry, now)) {
    risk = "lapses";
    warning = "auto-renew's first deduction has passed: renew manually to be sure";
  } else risk = "auto-renew";
  return {
    product: f.product,
    kind: f.kind,
    instanceId: f.id,
    regionId: f.region,
    expiredTime: formatEcsTime(f.expiry),
    daysLeft: daysLeft(f.expiry, now),
    instanceChargeType: f.chargeType,
    status: f.status,
    renewalStatus: f.renewalStatus,
    autoRenewEnabled: auto,
    ...(auto ? { autoRenewDuration: f.autoRenewDuration, autoRenewPeriodUnit: f.autoRenewPeriodUnit } : {}),
    autoRenewWindowStart: firstAutoRenewDeduction(f.expiry).toISOString(),
    ...(next ? { nextAutoRenewDeduction: next.toISOString() } : {}),
    releaseTime: release.toISOString(),
    risk,
    atRisk: risk === "lapses",
    ...(warning ? { warning } : {}),
    tags: f.tags,
    source: f.source,
  };
}

/** Report order: soonest expiry first, then product, region and id. */
export function bySoonestExpiry(a: Subscription, b: Subscription): number {
  return a.expiredTime.localeCompare(b.expiredTime) || a.product.localeCompare(b.product) || a.regionId.localeCompare(b.regionId) || a.instanceId.localeCompare(b.instanceId);
}
