// What a renewal order asks for, validated; shared by RenewInstance and DescribeRenewalPrice so the price
// a preview shows is the amount the order charges.
import { ApiError } from "../errors";
import { addPeriod, nextRenewDay, renewalPrice, type InstanceRecord } from "../state";
import { RENEW_PERIODS } from "./common";

export interface RenewalRequest {
  period?: number;
  unit: string;
  expectedRenewDay?: number;
}

const DAY = 86_400_000;
const MAX_TERM_MS = 5 * 366 * DAY;

export function validateRenewal(inst: InstanceRecord, req: RenewalRequest, allowedUnits: Record<string, number[]> = RENEW_PERIODS): void {
  if (req.expectedRenewDay !== undefined) {
    if (req.period !== undefined) throw new ApiError(400, "InvalidParameter.Conflict", "Period and ExpectedRenewDay cannot be specified together.");
    if (req.expectedRenewDay < 1 || req.expectedRenewDay > 28) {
      throw new ApiError(400, "InvalidParameter.ExpectedRenewDay", "ExpectedRenewDay must be between 1 and 28.");
    }
    return;
  }
  if (!allowedUnits[req.unit]) throw new ApiError(403, "InvalidPeriodUnit.ValueNotSupported", "The specified parameter PeriodUnit is not valid.");
  if (inst.starterPackage && req.unit !== "Month") {
    throw new ApiError(403, "InvalidPeriod.StarterPackage", "This instance was created by using a Starter Package plan and can only be renewed monthly.");
  }
  if (req.period === undefined || !allowedUnits[req.unit].includes(req.period)) {
    throw new ApiError(400, "InvalidPeriod", `The specified period ${req.period} is not valid for PeriodUnit ${req.unit}.`);
  }
}

/** The new expiry and the price of a renewal from `expiry` (or from now, for an expired instance). */
export function quoteRenewal(inst: InstanceRecord, expiry: number, now: number, req: RenewalRequest): { newExpiry: number; amount: number } {
  const from = Math.max(expiry, now);
  if (req.expectedRenewDay !== undefined) {
    const newExpiry = nextRenewDay(from, req.expectedRenewDay);
    return { newExpiry, amount: renewalPrice(inst.monthlyPrice, { days: Math.round((newExpiry - from) / DAY) }) };
  }
  const newExpiry = addPeriod(from, req.period!, req.unit);
  if (newExpiry - now > MAX_TERM_MS) {
    throw new ApiError(400, "InvalidPeriod.ExceededMaximumExpirationDate", "The renewal would exceed the maximum expiration date.");
  }
  return { newExpiry, amount: renewalPrice(inst.monthlyPrice, { period: req.period, unit: req.unit }) };
}
