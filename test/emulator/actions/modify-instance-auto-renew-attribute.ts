// ModifyInstanceAutoRenewAttribute: up to 100 instances in one call, all or none.
import { ApiError } from "../errors";
import { DAY, type PeriodUnit, type RenewalStatus } from "../state";
import { commaIds, instanceIn, intParam, MODIFY_DURATIONS, regionOf, requirePrePaid, type Action } from "./common";

export const modifyInstanceAutoRenewAttribute: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = commaIds(ctx, true);
  const rawStatus = ctx.params.get("RenewalStatus") || undefined;
  if (rawStatus !== undefined && !["AutoRenewal", "Normal", "NotRenewal"].includes(rawStatus)) {
    throw new ApiError(403, "InvalidParameter.RenewalStatus", `The specified RenewalStatus is not valid: ${rawStatus}; use AutoRenewal, Normal or NotRenewal.`);
  }
  // RenewalStatus wins over AutoRenew; without either the call turns auto-renew off (AutoRenew defaults to false).
  const target: RenewalStatus = (rawStatus as RenewalStatus | undefined) ?? (ctx.params.get("AutoRenew") === "true" ? "AutoRenewal" : "Normal");
  const unit = ctx.params.get("PeriodUnit") || "Month";
  if (!MODIFY_DURATIONS[unit]) throw new ApiError(403, "InvalidPeriodUnit.ValueNotSupported", `The specified parameter PeriodUnit is not valid: ${unit}; use Month, Year or Week.`);
  const duration = intParam(ctx, "Duration", "InvalidParameter.Duration", 403);
  if (target === "AutoRenewal" && duration !== undefined && !MODIFY_DURATIONS[unit].includes(duration)) {
    throw new ApiError(403, "InvalidParameter.Duration", `The specified Duration ${duration} is not valid for PeriodUnit ${unit}; allowed: ${MODIFY_DURATIONS[unit].join(", ")}.`);
  }

  // Every instance is checked before any is changed: the call applies to all of them or to none, and the
  // error names the instance that stopped it.
  const now = ctx.state.now();
  const instances = ids.map((id) => instanceIn(ctx, region, id));
  for (const inst of instances) {
    requirePrePaid(inst);
    if (target !== "AutoRenewal") continue;
    if (inst.starterPackage && unit !== "Month") {
      throw new ApiError(403, "InvalidPeriod.StarterPackage", `This instance was created by using a Starter Package plan and can only be renewed monthly, not yearly: ${inst.instanceId}.`);
    }
    if (inst.renewalStatus === "NotRenewal") {
      throw new ApiError(403, "InvalidParameter.RenewalStatus", `The instance ${inst.instanceId} is set to NotRenewal; set its RenewalStatus to Normal before AutoRenewal.`);
    }
    if (inst.renewalStatus !== "AutoRenewal" && ctx.state.expiryOf(inst.instanceId) - now < DAY) {
      throw new ApiError(403, "IncorrectInstanceStatus", `The current status of the resource does not support this operation: ${inst.instanceId} expires within 24 hours (or has expired) and cannot be set to auto-renewal; renew it manually.`);
    }
  }
  for (const inst of instances) ctx.state.setRenewal(inst, target, duration, unit as PeriodUnit);
  return {};
};
