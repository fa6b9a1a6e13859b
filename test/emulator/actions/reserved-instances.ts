// Reserved instances (ECS 2014-05-26): DescribeReservedInstances, DescribeReservedInstanceAutoRenewAttribute,
// ModifyReservedInstanceAutoRenewAttribute, RenewReservedInstances. Ids go as ReservedInstanceId.N. Codes and
// value sets: README.md, "Reserved instances".
import { ApiError } from "../errors";
import type { RenewalStatus } from "../state";
import type { FamilyRecord } from "../families";
import { intParam, pageParams, regionOf, type Action } from "./common";
import { applyAutoRenew, orderPeriod, placeOrder, renewView, familyIds, familyRecordIn, type FamilyCodes } from "./family";

const RI_CODES: FamilyCodes = {
  missing: [403, "Abs.MissingParamter.InstanceId", "ReservedInstanceId should not be null."],
  tooMany: [403, "InvalidParameter.ToManyInstanceIds", "ReservedInstanceId should be less than 100."],
  malformed: [403, "InvalidParameter.InvalidReservedInstanceId"],
  notFound: [404, "InvalidReservedInstanceId.NotFound", "The specified ReservedInstanceId does not exist."],
  status: [403, "IncorrectReservedInstanceStatus", "The current status of the reserved instance does not support this operation."],
};
/** RenewReservedInstances takes up to 10 ids. */
const RENEW_CODES: FamilyCodes = { ...RI_CODES, tooMany: [403, "InvalidParameter.ToManyInstanceIds", "ReservedInstanceId should be less than 10."] };

/** Modify's Period and Renew's Period per PeriodUnit, per site (SDK model); the same sets for both calls. */
const PERIODS: Record<"china" | "international", Record<string, number[]>> = {
  china: { Month: [1], Year: [1, 3, 5] },
  international: { Year: [1, 3] },
};
const DEFAULT_UNIT = { china: "Month", international: "Year" } as const;

function riView(r: FamilyRecord): Record<string, unknown> {
  return {
    ReservedInstanceId: r.id,
    ReservedInstanceName: r.id,
    RegionId: r.regionId,
    ZoneId: `${r.regionId}-k`,
    InstanceType: "ecs.g7.large",
    InstanceAmount: 1,
    OfferingType: "All Upfront",
    Scope: "Region",
    ExpiredTime: r.expiredTime,
    StartTime: "",
    Status: r.status,
    OperationLocks: { OperationLock: r.lockReasons.map((l) => ({ LockReason: l })) },
  };
}

export const describeReservedInstances: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = familyIds(ctx, "reservedInstance", "ReservedInstanceId", "repeat", 100, RI_CODES, false);
  const wanted = ids.length ? new Set(ids) : undefined;
  const all = [...ctx.state.families.values()].filter((r) => r.kind === "reservedInstance" && r.regionId === region && (!wanted || wanted.has(r.id))).sort((a, b) => a.id.localeCompare(b.id));
  const { pageNumber, pageSize } = pageParams(ctx);
  return { TotalCount: all.length, PageNumber: pageNumber, PageSize: pageSize, ReservedInstances: { ReservedInstance: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(riView) } };
};

export const describeReservedInstanceAutoRenewAttribute: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = familyIds(ctx, "reservedInstance", "ReservedInstanceId", "repeat", 100, RI_CODES);
  const found = ids.flatMap((id) => {
    const r = ctx.state.familyRecord(id, "reservedInstance");
    return r && r.regionId === region ? [r] : [];
  });
  return { ReservedInstanceRenewAttributes: { ReservedInstanceRenewAttribute: found.map((r) => ({ ReservedInstanceId: r.id, ...renewView(r) })) } };
};

export const modifyReservedInstanceAutoRenewAttribute: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = familyIds(ctx, "reservedInstance", "ReservedInstanceId", "repeat", 100, RI_CODES);
  const rawStatus = ctx.params.get("RenewalStatus") || "Normal";
  if (!["AutoRenewal", "Normal"].includes(rawStatus)) throw new ApiError(403, "InvalidParameter.RenewalStatus", `The specified RenewalStatus is not valid: ${rawStatus}.`);
  const records = ids.map((id) => familyRecordIn(ctx, "reservedInstance", region, id, RI_CODES));
  // "Only the IDs of reserved instances that are in the Active state can be specified."
  for (const r of records) if (r.status !== "Active") throw new ApiError(RI_CODES.status[0], RI_CODES.status[1], RI_CODES.status[2]!);
  const unit = ctx.params.get("PeriodUnit") || DEFAULT_UNIT[ctx.state.site];
  applyAutoRenew(
    ctx,
    records,
    rawStatus as RenewalStatus,
    {
      duration: intParam(ctx, "Period", "InvalidParameter.Duration"),
      unit,
      allowed: PERIODS[ctx.state.site],
      badUnit: () => new ApiError(400, "InvalidPeriodUnit.ValueNotSupported", "The specified parameter PeriodUnit is not valid."),
      badDuration: () => new ApiError(400, "InvalidParameter.Duration", "The specified parameter Duration is invalid."),
    },
    RI_CODES,
    () => new ApiError(403, "InvalidParameter.RenewalStatus", "The specified RenewalStatus is not valid."),
  );
  return {};
};

export const renewReservedInstances: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = familyIds(ctx, "reservedInstance", "ReservedInstanceId", "repeat", 10, RENEW_CODES);
  const { period, unit } = orderPeriod(ctx, PERIODS[ctx.state.site], DEFAULT_UNIT[ctx.state.site], {
    unit: [400, "InvalidPeriodUnit.ValueNotSupported", "The specified parameter PeriodUnit is not valid."],
    period: [400, "InvalidPeriod", "The specified period is not valid."],
  });
  const fingerprint = JSON.stringify(["reservedInstance", [...ids].sort(), period, unit]);
  const { OrderId } = placeOrder(ctx, () => ({ kind: "reservedInstance", records: ids.map((id) => familyRecordIn(ctx, "reservedInstance", region, id, RI_CODES)), period, unit, periodUnit: unit as "Month" | "Year", codes: RI_CODES }), fingerprint);
  return { OrderId, ReservedInstanceIdSets: { ReservedInstanceId: ids } };
};
