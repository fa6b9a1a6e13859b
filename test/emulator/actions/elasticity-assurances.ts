// Elasticity assurances (ECS 2014-05-26): DescribeElasticityAssurances, DescribeElasticityAssuranceAutoRenewAttribute,
// ModifyElasticityAssuranceAutoRenewAttribute, RenewElasticityAssurances. Ids go as PrivatePoolOptions.Id.N
// (PrivatePoolOptions.Ids, a JSON array, for DescribeElasticityAssurances). Codes and value sets: README.md,
// "Elasticity assurances".
import { ApiError } from "../errors";
import type { RenewalStatus } from "../state";
import type { FamilyRecord } from "../families";
import { intParam, regionOf, type Action } from "./common";
import { applyAutoRenew, orderPeriod, placeOrder, renewView, familyIds, familyRecordIn, type FamilyCodes } from "./family";

const EA_CODES: FamilyCodes = {
  missing: [400, "MissingParameter.PrivatePoolOptionsId", "The input parameter PrivatePoolOptions.Id that is mandatory for processing this request is not supplied."],
  tooMany: [400, "InvalidParameter.PrivatePoolOptionsId", "At most 50 elasticity assurances can be specified at a time."],
  malformed: [400, "InvalidParameter.PrivatePoolOptionsId"],
  notFound: [404, "InvalidPrivatePoolOptionsId.NotFound", "The specified PrivatePoolOptions.Id does not exist."],
  status: [403, "IncorrectElasticityAssuranceStatus", "The current status of the elasticity assurance does not support this operation."],
};
const RENEW_CODES: FamilyCodes = { ...EA_CODES, tooMany: [400, "InvalidParameter.PrivatePoolOptionsId", "At most 20 elasticity assurances can be renewed at a time."] };

/** Modify's Period per PeriodUnit (SDK model: Year 1, 3, 5; Month 1; no site difference documented). */
const AUTO_RENEW: Record<string, number[]> = { Month: [1], Year: [1, 3, 5] };
/** RenewElasticityAssurances' Period per PeriodUnit (SDK model); "Weekly" is the unit's spelling there. */
const RENEW: Record<string, number[]> = { Weekly: [1, 2, 3], Month: [1, 2, 3, 4, 5, 6, 7, 8, 9], Year: [1, 2, 3, 4, 5] };

function eaView(e: FamilyRecord): Record<string, unknown> {
  return {
    PrivatePoolOptionsId: e.id,
    PrivatePoolOptionsName: e.id,
    RegionId: e.regionId,
    PackageType: "ElasticityAssurance",
    InstanceChargeType: "PostPaid", // the instances it reserves capacity for are Pay-As-You-Go
    StartTime: "",
    EndTime: e.expiredTime,
    Status: e.status,
    TotalAssuranceTimes: "Unlimited",
  };
}

export const describeElasticityAssurances: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = familyIds(ctx, "elasticityAssurance", "PrivatePoolOptions.Ids", "json", 100, { ...EA_CODES, tooMany: [400, "InvalidParameter.PrivatePoolOptionsIds", "At most 100 ids can be specified."] }, false);
  const wanted = ids.length ? new Set(ids) : undefined;
  const status = ctx.params.get("Status") || undefined;
  const all = [...ctx.state.families.values()]
    .filter((e) => e.kind === "elasticityAssurance" && e.regionId === region && (!wanted || wanted.has(e.id)))
    .filter((e) => (status === "All" ? true : status ? e.status === status : e.status !== "Released"))
    .sort((a, b) => a.id.localeCompare(b.id));
  const size = Math.min(100, Math.max(1, intParam(ctx, "MaxResults") ?? 10));
  const token = ctx.params.get("NextToken") || undefined;
  const offset = token ? Number(/^e(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"))?.[1] ?? NaN) : 0;
  if (Number.isNaN(offset)) throw new ApiError(400, "InvalidParameter.NextToken", `The specified NextToken is not valid: ${token}.`);
  const page = all.slice(offset, offset + size);
  return { TotalCount: all.length, MaxResults: size, NextToken: offset + size < all.length ? Buffer.from(`e${offset + size}`).toString("base64url") : "", ElasticityAssuranceSet: { ElasticityAssuranceItem: page.map(eaView) } };
};

export const describeElasticityAssuranceAutoRenewAttribute: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = familyIds(ctx, "elasticityAssurance", "PrivatePoolOptions.Id", "repeat", 50, EA_CODES);
  const found = ids.flatMap((id) => {
    const e = ctx.state.familyRecord(id, "elasticityAssurance");
    return e && e.regionId === region ? [e] : [];
  });
  return {
    ElasticityAssuranceRenewAttributes: {
      ElasticityAssuranceRenewAttribute: found.map((e) => {
        const { Duration, ...rest } = renewView(e);
        return { PrivatePoolOptionsId: e.id, Period: Duration, ...rest };
      }),
    },
  };
};

export const modifyElasticityAssuranceAutoRenewAttribute: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = familyIds(ctx, "elasticityAssurance", "PrivatePoolOptions.Id", "repeat", 50, EA_CODES);
  const rawStatus = ctx.params.get("RenewalStatus") || "Normal";
  if (!["AutoRenewal", "Normal", "NotRenewal"].includes(rawStatus)) throw new ApiError(400, "InvalidParameter.RenewalStatus", `The specified RenewalStatus is not valid: ${rawStatus}.`);
  applyAutoRenew(
    ctx,
    ids.map((id) => familyRecordIn(ctx, "elasticityAssurance", region, id, EA_CODES)),
    rawStatus as RenewalStatus,
    {
      duration: intParam(ctx, "Period", "InvalidParameter.Period"),
      unit: ctx.params.get("PeriodUnit") || "Month",
      allowed: AUTO_RENEW,
      badUnit: () => new ApiError(400, "InvalidPeriodUnit.ValueNotSupported", "The specified parameter PeriodUnit is not valid."),
      badDuration: (d) => new ApiError(400, "InvalidParameter.Period", `The specified Period ${d} is not valid.`),
    },
    EA_CODES,
    () => new ApiError(400, "InvalidParameter.RenewalStatus", "The specified RenewalStatus is not valid: an elasticity assurance set to NotRenewal must be set to Normal before AutoRenewal."),
  );
  return {};
};

export const renewElasticityAssurances: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = familyIds(ctx, "elasticityAssurance", "PrivatePoolOptions.Id", "repeat", 20, RENEW_CODES);
  const { period, unit } = orderPeriod(ctx, RENEW, "Year", { unit: [400, "InvalidPeriodUnit.ValueNotSupported", "The specified parameter PeriodUnit is not valid."], period: [400, "InvalidPeriod", "The specified period is not valid."] });
  const fingerprint = JSON.stringify(["elasticityAssurance", [...ids].sort(), period, unit]);
  const { OrderId } = placeOrder(
    ctx,
    () => ({ kind: "elasticityAssurance", records: ids.map((id) => familyRecordIn(ctx, "elasticityAssurance", region, id, EA_CODES)), period, unit, periodUnit: unit === "Weekly" ? "Week" : (unit as "Month" | "Year"), codes: EA_CODES }),
    fingerprint,
  );
  return { OrderId, PrivatePoolOptionsIdSet: { PrivatePoolOptionsId: ids } };
};
