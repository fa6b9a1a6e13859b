// Which subscription instances expire soon, with their auto-renew settings: the query behind
// getExpiringInstances, the fleet example and the report command.

import type { EcsApi, InstanceInfo, RenewAttribute } from "../ecs/client";
import { BatchedInstances } from "../ecs/instances";
import { daysLeft, formatEcsTime, insideAutoRenewWindow, nextAutoRenewDeduction, parseEcsTime } from "../ecs/expiry";

export interface ExpiringQuery {
  regionId: string;
  /** Instances expiring within this many days from now (default 15, the console's "urgent renewal" view). Infinity: no bound. */
  withinDays?: number;
  /** Include instances that already expired and are not released yet (default true). */
  includeExpired?: boolean;
  /** Only instances carrying all these tags, e.g. `{ "acs:emr:clusterId": "C-123" }`. */
  tags?: Record<string, string>;
}

export interface ExpiringInstance {
  instanceId: string;
  regionId: string;
  expiredTime: string;
  daysLeft: number;
  instanceChargeType: string;
  status: string;
  renewalStatus: string;
  autoRenewEnabled: boolean;
  autoRenewDuration?: number;
  autoRenewPeriodUnit?: string;
  /** ISO time of the next auto-renew deduction attempt, if auto-renewing and one is left before expiry. */
  nextAutoRenewDeduction?: string;
  /** True when the instance is not auto-renewing in time: it lapses unless someone renews it. */
  atRisk: boolean;
  /** Why it is at risk, as a sentence. */
  warning?: string;
  tags: Record<string, string>;
}

/** Released instances disappear 15 days after expiry: look back far enough to see all of them. */
const EXPIRED_LOOKBACK_DAYS = 16;
const DAY_MS = 86_400_000;

export async function findExpiringInstances(api: EcsApi, query: ExpiringQuery, now = new Date()): Promise<ExpiringInstance[]> {
  const withinDays = query.withinDays ?? 15;
  const includeExpired = query.includeExpired ?? true;
  const start = includeExpired ? new Date(now.getTime() - EXPIRED_LOOKBACK_DAYS * DAY_MS) : now;
  const instances = await api.describeInstances(query.regionId, {
    instanceChargeType: "PrePaid",
    tags: query.tags,
    expiredStartTime: formatEcsTime(start),
    ...(Number.isFinite(withinDays) ? { expiredEndTime: formatEcsTime(new Date(now.getTime() + withinDays * DAY_MS)) } : {}),
  });
  const batched = new BatchedInstances(api);
  const attributes = await Promise.all(instances.map((i) => batched.renewAttribute(query.regionId, i.instanceId)));
  return instances
    .map((info, n) => describeExpiry(info, attributes[n], now))
    .filter((i): i is ExpiringInstance => i !== undefined)
    .sort((a, b) => a.expiredTime.localeCompare(b.expiredTime) || a.instanceId.localeCompare(b.instanceId));
}

function describeExpiry(info: InstanceInfo, attr: RenewAttribute | undefined, now: Date): ExpiringInstance | undefined {
  const expiry = parseEcsTime(info.expiredTime);
  if (!expiry) return undefined;
  const auto = attr?.renewalStatus === "AutoRenewal";
  const next = auto ? nextAutoRenewDeduction(expiry, now) : undefined;
  const left = daysLeft(expiry, now);
  let warning: string | undefined;
  if (expiry.getTime() <= now.getTime()) warning = "expired: renew it now or it is released 15 days after expiry";
  else if (attr?.renewalStatus === "NotRenewal") warning = "set to expire without renewal";
  else if (!auto) warning = "manual renewal: nobody renews it automatically";
  else if (insideAutoRenewWindow(expiry, now)) warning = "auto-renew's first deduction has passed: renew manually to be sure";
  return {
    instanceId: info.instanceId,
    regionId: info.regionId,
    expiredTime: info.expiredTime ?? "",
    daysLeft: left,
    instanceChargeType: info.instanceChargeType,
    status: info.status,
    renewalStatus: attr?.renewalStatus ?? "Normal",
    autoRenewEnabled: attr?.autoRenewEnabled ?? false,
    ...(auto ? { autoRenewDuration: attr!.duration, autoRenewPeriodUnit: attr!.periodUnit } : {}),
    ...(next ? { nextAutoRenewDeduction: next.toISOString() } : {}),
    atRisk: warning !== undefined && attr?.renewalStatus !== "NotRenewal",
    ...(warning ? { warning } : {}),
    tags: info.tags,
  };
}
