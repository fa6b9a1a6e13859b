// What a renewal order asks for, validated; shared by RenewInstance and DescribeRenewalPrice so the price a
// preview shows is the amount the order charges.
import { ApiError } from "../errors";
import { addPeriod, DAY, nextRenewDay, renewalPrice, type InstanceRecord, type PriceQuote } from "../state";
import { intParam, RENEW_PERIODS, type ActionContext } from "./common";

export interface RenewalRequest {
  period?: number;
  unit: string;
  expectedRenewDay?: number;
}

/** Expiry may not move past five years from now. */
const MAX_TERM_MS = 5 * 366 * DAY;

/** Reads Period/`unitParam`/ExpectedRenewDay; `defaultPeriod` applies when neither Period nor ExpectedRenewDay is sent. */
export function readRenewal(ctx: ActionContext, unitParam: string, defaultPeriod?: number): RenewalRequest {
  const expectedRenewDay = intParam(ctx, "ExpectedRenewDay");
  const period = intParam(ctx, "Period", "InvalidPeriod") ?? (expectedRenewDay === undefined ? defaultPeriod : undefined);
  return { period, unit: ctx.params.get(unitParam) || "Month", expectedRenewDay };
}

/** Checks the request alone (no instance needed): units, ranges, Period xor ExpectedRenewDay. */
export function validateRenewal(req: RenewalRequest, allowed: Record<string, number[]> = RENEW_PERIODS): void {
  if (req.expectedRenewDay !== undefined) {
    if (req.period !== undefined) throw new ApiError(400, "InvalidParameter.Conflict", "Period/PeriodUnit and ExpectedRenewDay cannot be specified together.");
    if (req.expectedRenewDay < 1 || req.expectedRenewDay > 28) {
      throw new ApiError(400, "InvalidParameter.ExpectedRenewDay", `ExpectedRenewDay must be between 1 and 28: ${req.expectedRenewDay}.`);
    }
    return;
  }
  if (req.period === undefined) throw new ApiError(400, "MissingParameter.Period", "Either Period (with PeriodUnit) or ExpectedRenewDay is required.");
  if (!allowed[req.unit]) throw new ApiError(403, "InvalidPeriodUnit.ValueNotSupported", `The specified parameter PeriodUnit is not valid: ${req.unit}; use ${Object.keys(allowed).join(" or ")}.`);
  if (!allowed[req.unit].includes(req.period)) {
    throw new ApiError(400, "InvalidPeriod", `The specified period ${req.period} is not valid for PeriodUnit ${req.unit}; allowed: ${allowed[req.unit].join(", ")}.`);
  }
}

/** Checks what depends on the instance: a starter-package instance renews by the month only. */
export function validateForInstance(inst: InstanceRecord, req: RenewalRequest): void {
  if (inst.starterPackage && req.expectedRenewDay === undefined && req.unit !== "Month") {
    throw new ApiError(403, "InvalidPeriod.StarterPackage", `This instance was created by using a Starter Package plan and can only be renewed monthly: ${inst.instanceId}.`);
  }
}

/** The new expiry and the price of a renewal from `expiry`, or from now for an expired instance. */
export function quoteRenewal(inst: InstanceRecord, expiry: number, now: number, req: RenewalRequest): { newExpiry: number; price: PriceQuote } {
  const from = Math.max(expiry, now);
  if (req.expectedRenewDay !== undefined) {
    const newExpiry = nextRenewDay(from, req.expectedRenewDay);
    return { newExpiry, price: renewalPrice(inst.monthlyPrice, { days: Math.round((newExpiry - from) / DAY) }) };
  }
  const newExpiry = addPeriod(from, req.period!, req.unit);
  if (newExpiry - now > MAX_TERM_MS) {
    throw new ApiError(400, "InvalidPeriod.ExceededMaximumExpirationDate", `Renewing ${inst.instanceId} by ${req.period} ${req.unit} would put its expiry more than five years ahead.`);
  }
  return { newExpiry, price: renewalPrice(inst.monthlyPrice, { period: req.period, unit: req.unit }) };
}
