// Dedicated hosts (ECS 2014-05-26): DescribeDedicatedHosts, DescribeDedicatedHostAutoRenew,
// ModifyDedicatedHostAutoRenewAttribute, RenewDedicatedHosts. Codes and value sets: README.md, "Dedicated hosts".
import { ApiError } from "../errors";
import type { RenewalStatus } from "../state";
import type { FamilyRecord } from "../families";
import { intParam, pageParams, regionOf, type Action } from "./common";
import { applyAutoRenew, orderPeriod, placeOrder, raise, renewView, familyIds, familyRecordIn, type FamilyCodes } from "./family";

const HOST_CODES: FamilyCodes = {
  missing: [403, "MissingParameter.DedicatedHostId", "DedicatedHostId should not be null."],
  tooMany: [403, "InvalidParameter.ToManyDedicatedHostIds", "DedicatedHostId should be less than 100."],
  malformed: [403, "InvalidParameter.InvalidDedicatedHostId"],
  notFound: [400, "InvalidDedicatedHostId.NotFound", "The specified DedicatedHostId does not exist."],
  chargeType: [403, "ChargeTypeViolation", "Pay-As-You-Go dedicated host do not support this operation."],
  status: [403, "IncorrectHostStatus", "The current status of the resource does not support this operation."],
};

const MONTHS_TO_60 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60];
/** ModifyDedicatedHostAutoRenewAttribute's Duration per PeriodUnit, per site (SDK model). */
const AUTO_RENEW: Record<"china" | "international", Record<string, number[]>> = {
  china: { Week: [1, 2, 3, 4], Month: [1, 2, 3, 6, 12, 24, 36, 48, 60], Year: [1, 2, 3, 4, 5] },
  international: { Month: [1, 12], Year: [1, 12] },
};
/** RenewDedicatedHosts' Period per PeriodUnit, per site (SDK model). */
const RENEW: Record<"china" | "international", Record<string, number[]>> = {
  china: { Week: [1, 2, 3, 4], Month: MONTHS_TO_60, Year: [1, 2, 3, 4, 5] },
  international: { Month: MONTHS_TO_60, Year: [1, 2, 3, 4, 5] },
};
const AUTO_RENEW_WITH_ECS = ["AutoRenewWithEcs", "StopRenewWithEcs", "NoOperation"];

/** A host as DescribeDedicatedHosts shows it. ChargeType reads "Prepaid" for a subscription host, as the reference's example writes it. */
function hostView(h: FamilyRecord): Record<string, unknown> {
  return {
    DedicatedHostId: h.id,
    DedicatedHostName: h.id,
    RegionId: h.regionId,
    ZoneId: `${h.regionId}-k`,
    DedicatedHostType: "ddh.g6",
    ChargeType: h.chargeType === "PrePaid" ? "Prepaid" : "PostPaid",
    ExpiredTime: h.expiredTime,
    SaleCycle: h.chargeType === "PrePaid" ? "Month" : "",
    Status: h.status,
    AutoReleaseTime: "",
    OperationLocks: { OperationLock: h.lockReasons.map((r) => ({ LockReason: r })) },
  };
}

export const describeDedicatedHosts: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = ctx.params.has("DedicatedHostIds")
    ? familyIds(ctx, "dedicatedHost", "DedicatedHostIds", "json", 100, { ...HOST_CODES, tooMany: [403, "InvalidDedicatedHostIds.Malformed", "The amount of specified dedicatedHostIds exceeds the limit."], malformed: [400, "InvalidParameter.DedicatedHostIds", "The specified parameter dedicatedHostIds is not valid."] }, false)
    : undefined;
  const wanted = ids && new Set(ids);
  const hosts = [...ctx.state.families.values()]
    .filter((h) => h.kind === "dedicatedHost" && h.regionId === region && (!wanted || wanted.has(h.id)))
    .sort((a, b) => a.id.localeCompare(b.id));
  const maxResults = intParam(ctx, "MaxResults");
  const nextToken = ctx.params.get("NextToken") || undefined;
  if (maxResults !== undefined || nextToken) {
    const size = Math.min(100, Math.max(1, maxResults ?? 10));
    const offset = nextToken ? Number(/^h(\d+)$/.exec(Buffer.from(nextToken, "base64url").toString("utf8"))?.[1] ?? NaN) : 0;
    if (Number.isNaN(offset)) throw new ApiError(400, "InvalidParameter.NextToken", `The specified NextToken is not valid: ${nextToken}.`);
    const page = hosts.slice(offset, offset + size);
    return { TotalCount: hosts.length, NextToken: offset + size < hosts.length ? Buffer.from(`h${offset + size}`).toString("base64url") : "", DedicatedHosts: { DedicatedHost: page.map(hostView) } };
  }
  const { pageNumber, pageSize } = pageParams(ctx);
  return { TotalCount: hosts.length, PageNumber: pageNumber, PageSize: pageSize, DedicatedHosts: { DedicatedHost: hosts.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(hostView) } };
};

export const describeDedicatedHostAutoRenew: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = familyIds(ctx, "dedicatedHost", "DedicatedHostIds", "comma", 100, HOST_CODES);
  // Unknown ids are left out, as DescribeInstanceAutoRenewAttribute does; a Pay-As-You-Go host fails the call.
  const hosts = ids.flatMap((id) => {
    const h = ctx.state.familyRecord(id, "dedicatedHost");
    return h && h.regionId === region ? [h] : [];
  });
  for (const h of hosts) if (h.chargeType !== "PrePaid") throw raise(HOST_CODES.chargeType!);
  return {
    DedicatedHostRenewAttributes: {
      DedicatedHostRenewAttribute: hosts.map((h) => ({ DedicatedHostId: h.id, AutoRenewEnabled: h.renewalStatus === "AutoRenewal", AutoRenewWithEcs: h.autoRenewWithEcs ?? "StopRenewWithEcs", ...renewView(h) })),
    },
  };
};

export const modifyDedicatedHostAutoRenewAttribute: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = familyIds(ctx, "dedicatedHost", "DedicatedHostIds", "comma", 100, HOST_CODES);
  const rawStatus = ctx.params.get("RenewalStatus") || undefined;
  if (rawStatus !== undefined && !["AutoRenewal", "Normal", "NotRenewal"].includes(rawStatus)) throw new ApiError(403, "InvalidParameter.RenewalStatus", `The specified RenewalStatus is not valid: ${rawStatus}.`);
  const target = (rawStatus as RenewalStatus | undefined) ?? (ctx.params.get("AutoRenew") === "true" ? "AutoRenewal" : "Normal");
  const withEcs = ctx.params.get("AutoRenewWithEcs") || "NoOperation";
  if (!AUTO_RENEW_WITH_ECS.includes(withEcs)) throw new ApiError(403, "InvalidParameter.AutoRenewWithEcs", `The specified AutoRenewWithEcs is not valid: ${withEcs}.`);
  const hosts = ids.map((id) => familyRecordIn(ctx, "dedicatedHost", region, id, HOST_CODES));
  applyAutoRenew(
    ctx,
    hosts,
    target,
    {
      duration: intParam(ctx, "Duration", "InvalidParameter.Duration", 403),
      unit: ctx.params.get("PeriodUnit") || "Month",
      allowed: AUTO_RENEW[ctx.state.site],
      badUnit: () => new ApiError(403, "InvalidPeriodUnit.ValueNotSupported", "The specified parameter PeriodUnit is not valid."),
      badDuration: (d) => new ApiError(403, "InvalidParameter.Duration", `The specified Duration ${d} is not valid with PeriodUnit ${ctx.params.get("PeriodUnit") || "Month"}.`),
    },
    HOST_CODES,
    () => new ApiError(403, "InvalidParameter.RenewalStatus", "The specified RenewalStatus is not valid: a dedicated host set to NotRenewal must be set to Normal before AutoRenewal."),
  );
  if (withEcs !== "NoOperation") for (const h of hosts) h.autoRenewWithEcs = withEcs as FamilyRecord["autoRenewWithEcs"];
  return {};
};

export const renewDedicatedHosts: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = familyIds(ctx, "dedicatedHost", "DedicatedHostIds", "json-or-comma", 100, HOST_CODES);
  const { period, unit } = orderPeriod(ctx, RENEW[ctx.state.site], "Month", { unit: [400, "InvalidPeriodUnit.ValueNotSupported", "The specified parameter PeriodUnit is not valid."], period: [400, "InvalidPeriod", "The specified period is not valid."] });
  const fingerprint = JSON.stringify(["dedicatedHost", [...ids].sort(), period, unit]);
  return placeOrder(ctx, () => ({ kind: "dedicatedHost", records: ids.map((id) => familyRecordIn(ctx, "dedicatedHost", region, id, HOST_CODES)), period, unit, periodUnit: unit as "Month" | "Year" | "Week", codes: HOST_CODES }), fingerprint);
};
