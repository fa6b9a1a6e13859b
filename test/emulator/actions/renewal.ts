// What a renewal order asks for, validated; shared by RenewInstance and DescribeRenewalPrice so the price a
// preview shows is the amount the order charges.
import { ApiError, documented } from "../errors";
import { PRICE_PERIODS } from "../sites";
import { addPeriod, DAY, renewalPrice, unifiedExpiryAfter, type InstanceRecord, type PriceQuote } from "../state";
import { intParam, siteRules, type ActionContext } from "./common";

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

/**
 * Checks the request alone (no instance needed): Period xor ExpectedRenewDay, the unified expiration day
 * of the account, units and ranges. An order takes the site's RenewInstance sets; a price query takes
 * DescribeRenewalPrice's (Month 1–9, Year 1–3), with its own code for a unit it does not price.
 */
export function validateRenewal(ctx: ActionContext, req: RenewalRequest, kind: "order" | "price"): void {
  if (req.expectedRenewDay !== undefined) {
    if (req.period !== undefined) throw new ApiError(400, "InvalidParameter.Conflict", "Period/PeriodUnit and ExpectedRenewDay cannot be specified together.");
    const day = req.expectedRenewDay;
    if (day < 1 || day > 28) throw new ApiError(400, "InvalidParameter.ExpectedRenewDay", `The specified ExpectedRenewDay is not valid: ${day}; use 1 to 28.`);
    const unified = ctx.state.unifiedExpiryDay;
    if (unified === undefined) {
      throw new ApiError(400, "InvalidParameter.ExpectedRenewDay", `The specified ExpectedRenewDay ${day} cannot be used: the account has no unified expiration day. Set one before renewing to it.`);
    }
    if (day !== unified) throw new ApiError(400, "InvalidParameter.ExpectedRenewDay", `The specified ExpectedRenewDay ${day} does not match the unified expiration day of the account (${unified}).`);
    return;
  }
  if (req.period === undefined) throw documented(400, "MissingParamter");
  const allowed = kind === "order" ? siteRules(ctx).renewPeriods : PRICE_PERIODS;
  if (!allowed[req.unit]) throw documented(400, kind === "order" ? "InvalidPeriodUnit.ValueNotSupported" : "InvalidPriceUnit.ValueNotSupported");
  if (!allowed[req.unit].includes(req.period)) throw documented(400, "InvalidPeriod");
}

/**
 * Checks what depends on the instance: a starter-package instance renews by the month only; only an
 * instance that has not expired renews to the unified expiration day.
 */
export function validateForInstance(ctx: ActionContext, inst: InstanceRecord, req: RenewalRequest): void {
  if (inst.starterPackage && req.expectedRenewDay === undefined && req.unit !== "Month") throw documented(403, "InvalidPeriod.StarterPackage");
  if (req.expectedRenewDay !== undefined && ctx.state.expiryOf(inst.instanceId) <= ctx.state.now()) throw documented(403, "IncorrectInstanceStatus");
}

/** The call's ClientToken, checked (ASCII, up to 64 characters; "How to ensure idempotence"), or undefined. */
export function validToken(ctx: ActionContext): string | undefined {
  const token = ctx.params.get("ClientToken") || undefined;
  ctx.clientToken = token;
  if (token !== undefined && (token.length > 64 || !/^[\x20-\x7e]+$/.test(token))) throw documented(400, "InvalidClientToken.ValueNotSupported");
  return token;
}

/**
 * The order a token already placed, when the request is the same one again (its first answer comes back,
 * nothing is charged), or undefined for a new order. A token whose first request is still being handled is
 * Idempotence.Processing; one whose order's expiry is not visible yet LastTokenProcessing; one seen with other
 * parameters IdempotenceParamNotMatch.
 */
export function rememberedOrder(ctx: ActionContext, token: string | undefined, fingerprint: string): string | undefined {
  if (!token) return undefined;
  const holder = ctx.state.tokensInFlight.get(token);
  if (holder !== undefined && holder !== ctx.requestId) throw documented(400, "Idempotence.Processing");
  const earlier = ctx.state.orders.get(token);
  if (!earlier) return undefined;
  if (earlier.fingerprint !== fingerprint) throw documented(400, "IdempotenceParamNotMatch");
  if (ctx.state.processing(earlier.instanceId)) throw documented(403, "LastTokenProcessing");
  return earlier.orderId;
}

/** The new expiry and the price of a renewal from `expiry`, or from now for an expired instance. */
export function quoteRenewal(ctx: ActionContext, inst: InstanceRecord, req: RenewalRequest): { newExpiry: number; price: PriceQuote } {
  const now = ctx.state.now();
  const expiry = ctx.state.expiryOf(inst.instanceId);
  const currency = ctx.state.currency;
  if (req.expectedRenewDay !== undefined) {
    const newExpiry = unifiedExpiryAfter(expiry, req.expectedRenewDay);
    return { newExpiry, price: renewalPrice(inst.monthlyPrice, { days: Math.round((newExpiry - expiry) / DAY) }, currency) };
  }
  const newExpiry = addPeriod(Math.max(expiry, now), req.period!, req.unit);
  if (newExpiry - now > MAX_TERM_MS) throw documented(400, "InvalidPeriod.ExceededMaximumExpirationDate");
  return { newExpiry, price: renewalPrice(inst.monthlyPrice, { period: req.period, unit: req.unit }, currency) };
}
