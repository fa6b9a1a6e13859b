// ModifyInstanceAutoRenewAttribute: up to 100 instances in one call, all or none.
import { ApiError, documented } from "../errors";
import { DAY, type PeriodUnit, type RenewalStatus } from "../state";
import { commaIds, instanceIn, intParam, regionOf, requirePrePaid, siteRules, type Action } from "./common";

export const modifyInstanceAutoRenewAttribute: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = commaIds(ctx, true);
  const rawStatus = ctx.params.get("RenewalStatus") || undefined;
  if (rawStatus !== undefined && !["AutoRenewal", "Normal", "NotRenewal"].includes(rawStatus)) {
    throw new ApiError(403, "InvalidParameter.RenewalStatus", `The specified RenewalStatus is not valid: ${rawStatus}.`);
  }
  // RenewalStatus wins over AutoRenew; without either the call turns auto-renew off (AutoRenew defaults to false).
  const target: RenewalStatus = (rawStatus as RenewalStatus | undefined) ?? (ctx.params.get("AutoRenew") === "true" ? "AutoRenewal" : "Normal");
  const durations = siteRules(ctx).autoRenewDurations;
  const unit = ctx.params.get("PeriodUnit") || "Month";
  if (!durations[unit]) throw documented(403, "InvalidPeriodUnit.ValueNotSupported");
  const duration = intParam(ctx, "Duration", "InvalidParameter.Duration", 403);
  if (target === "AutoRenewal" && duration !== undefined && !durations[unit].includes(duration)) {
    throw new ApiError(403, "InvalidParameter.Duration", `The specified Duration ${duration} is not valid with PeriodUnit ${unit}.`);
  }

  // Every instance is checked before any is changed: the call applies to all of them or to none. The
  // documented messages do not name the instance that stopped it.
  const now = ctx.state.now();
  const instances = ids.map((id) => instanceIn(ctx, region, id));
  for (const inst of instances) {
    requirePrePaid(inst, "autoRenew");
    if (target !== "AutoRenewal") continue;
    if (inst.starterPackage && unit !== "Month") throw documented(403, "InvalidPeriod.StarterPackage");
    if (inst.renewalStatus === "NotRenewal") {
      throw new ApiError(403, "InvalidParameter.RenewalStatus", "The specified RenewalStatus is not valid: an instance set to NotRenewal must be set to Normal before AutoRenewal.");
    }
    // "You cannot enable auto-renewal for an expired subscription instance"; the day before expiry it must be renewed by hand.
    if (inst.renewalStatus !== "AutoRenewal" && ctx.state.expiryOf(inst.instanceId) - now < DAY) throw documented(403, "IncorrectInstanceStatus");
  }
  for (const inst of instances) ctx.state.setRenewal(inst, target, duration, unit as PeriodUnit);
  return {};
};
