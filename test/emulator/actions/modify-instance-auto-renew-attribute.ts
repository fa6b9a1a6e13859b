import { ApiError } from "../errors";
import { commaIds, instanceIn, intParam, MODIFY_DURATIONS, regionOf, requirePrePaid, requireWritable, type Action } from "./common";
import type { RenewalStatus } from "../state";

const DAY = 86_400_000;

export const modifyInstanceAutoRenewAttribute: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = commaIds(ctx, true);
  requireWritable(ctx);
  const rawStatus = ctx.params.get("RenewalStatus");
  if (rawStatus !== undefined && !["AutoRenewal", "Normal", "NotRenewal"].includes(rawStatus)) {
    throw new ApiError(403, "InvalidParameter.RenewalStatus", `The specified RenewalStatus is not valid: ${rawStatus}.`);
  }
  // RenewalStatus wins over AutoRenew.
  const target: RenewalStatus = (rawStatus as RenewalStatus | undefined) ?? (ctx.params.get("AutoRenew") === "true" ? "AutoRenewal" : "Normal");
  const unit = ctx.params.get("PeriodUnit") ?? "Month";
  if (!MODIFY_DURATIONS[unit]) throw new ApiError(403, "InvalidPeriodUnit.ValueNotSupported", "The specified parameter PeriodUnit is not valid.");
  const duration = intParam(ctx, "Duration", "InvalidParameter.Duration", 403);
  if (target === "AutoRenewal" && duration !== undefined && !MODIFY_DURATIONS[unit].includes(duration)) {
    throw new ApiError(403, "InvalidParameter.Duration", `The specified Duration ${duration} is not valid for PeriodUnit ${unit}.`);
  }

  // Validate every instance first: the call applies to all or to none.
  const now = ctx.state.now();
  const instances = ids.map((id) => instanceIn(ctx, region, id));
  for (const inst of instances) {
    requirePrePaid(inst);
    if (target !== "AutoRenewal") continue;
    if (inst.starterPackage && unit !== "Month") {
      throw new ApiError(403, "InvalidPeriod.StarterPackage", `This instance was created by using a Starter Package plan and can only be renewed monthly, not yearly: ${inst.instanceId}.`);
    }
    if (inst.renewalStatus === "NotRenewal") {
      throw new ApiError(403, "InvalidParameter.RenewalStatus", `The instance ${inst.instanceId} is set to NotRenewal; set RenewalStatus to Normal before AutoRenewal.`);
    }
    if (inst.renewalStatus !== "AutoRenewal" && ctx.state.expiryOf(inst.instanceId) - now < DAY) {
      throw new ApiError(403, "IncorrectInstanceStatus", `The instance ${inst.instanceId} expires within 24 hours and cannot be set to auto-renewal; renew it manually.`);
    }
  }
  for (const inst of instances) {
    inst.renewalStatus = target;
    if (target === "AutoRenewal") {
      inst.duration = duration ?? 1;
      inst.periodUnit = unit as "Month" | "Year" | "Week";
    }
  }
  return {};
};
