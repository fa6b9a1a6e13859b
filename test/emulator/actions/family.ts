// What the auto-renew and renewal actions of every subscription family share: reading id lists in the
// three shapes the APIs use, finding a family's records, applying auto-renew settings to all or none, and
// placing an idempotent order. Each family's own codes and value sets are passed in (see README.md,
// "Subscription families", for their sources).
import { ApiError } from "../errors";
import { DAY, formatTime, renewalPrice, addPeriod, type PeriodUnit, type RenewalStatus } from "../state";
import { FAMILIES, type FamilyKind, type FamilyRecord } from "../families";
import { intParam, type ActionContext } from "./common";
import { rememberedOrder, validToken } from "./renewal";

/** An error a family documents: status, code, fixed message (or a `%s` filled in by the caller). */
export type Documented = readonly [status: number, code: string, message?: string];

export interface FamilyCodes {
  missing: Documented;
  tooMany: Documented;
  malformed: Documented;
  notFound: Documented;
  chargeType?: Documented;
  /** The resource's state does not allow the call (expired, or about to, for auto-renew). */
  status: Documented;
}

export const raise = ([status, code, message]: Documented, detail?: string): ApiError =>
  new ApiError(status, code, message ?? `The specified parameter is not valid: ${detail ?? ""}`.trim());

/** How a call names its ids: `A,B` in one parameter, a JSON array in one, or `Name.1`, `Name.2`… */
export type IdStyle = "comma" | "json" | "repeat" | "json-or-comma";

/** The ids a call names, de-duplicated in order; checked for count and form, not for existence. */
export function familyIds(ctx: ActionContext, kind: FamilyKind, param: string, style: IdStyle, max: number, codes: FamilyCodes, required = true): string[] {
  let ids: string[];
  const raw = ctx.params.get(param) ?? "";
  if (style === "repeat") {
    ids = [...ctx.params].filter(([k]) => new RegExp(`^${param.replace(/\./g, "\\.")}\\.\\d+$`).test(k)).sort(([a], [b]) => Number(a.split(".").pop()) - Number(b.split(".").pop())).map(([, v]) => v.trim());
  } else if (style === "json" || (style === "json-or-comma" && raw.trim().startsWith("["))) {
    try {
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== "string")) throw new Error("not a list");
      ids = parsed as string[];
    } catch {
      throw raise(codes.malformed, `${param} is not a JSON array of ids: ${raw.slice(0, 60)}`);
    }
  } else ids = raw.split(",").map((s) => s.trim());
  ids = [...new Set(ids.filter(Boolean))];
  ctx.instanceIds = ids;
  if (ids.length === 0 && required) throw raise(codes.missing);
  if (ids.length > max) throw raise(codes.tooMany);
  for (const id of ids) if (!FAMILIES[kind].idPattern.test(id)) throw raise(codes.malformed, id);
  return ids;
}

/** The family's record in this region, or its documented not-found error. */
export function familyRecordIn(ctx: ActionContext, kind: FamilyKind, region: string, id: string, codes: FamilyCodes): FamilyRecord {
  const rec = ctx.state.familyRecord(id, kind);
  if (!rec || rec.regionId !== region) throw raise(codes.notFound);
  return rec;
}

/** Sets the renewal status of every record, or of none: each is checked before any changes (as for instances). */
export function applyAutoRenew(
  ctx: ActionContext,
  records: FamilyRecord[],
  target: RenewalStatus,
  period: { duration?: number; unit: string; allowed: Record<string, number[]>; badUnit: () => ApiError; badDuration: (d: number) => ApiError },
  codes: FamilyCodes,
  notRenewalFirst: () => ApiError,
): void {
  if (!period.allowed[period.unit]) throw period.badUnit();
  if (target === "AutoRenewal" && period.duration !== undefined && !period.allowed[period.unit].includes(period.duration)) throw period.badDuration(period.duration);
  const now = ctx.state.now();
  for (const rec of records) {
    if (codes.chargeType && rec.chargeType !== "PrePaid") throw raise(codes.chargeType);
    if (target !== "AutoRenewal" || rec.renewalStatus === "AutoRenewal") continue;
    if (rec.renewalStatus === "NotRenewal") throw notRenewalFirst();
    // As for instances: the day before expiry, or after it, a subscription must be renewed by hand first.
    if (ctx.state.expiryOf(rec.id) - now < DAY) throw raise(codes.status);
  }
  for (const rec of records) ctx.state.setRenewal(rec, target, period.duration, period.unit as PeriodUnit);
}

export interface OrderRequest {
  kind: FamilyKind;
  records: FamilyRecord[];
  period: number;
  /** The unit as the API spells it, and as the emulator's calendar counts it. */
  unit: string;
  periodUnit: PeriodUnit;
  codes: FamilyCodes;
}

/**
 * One charging order for every record of the call, idempotent by ClientToken as RenewInstance is: the same
 * token and request answer the first OrderId and charge nothing; other parameters are
 * IdempotenceParamNotMatch; while the order's expiry is not visible the token is LastTokenProcessing and
 * another order LastOrderProcessing. All records are paid for or none (the balance is checked first).
 */
export function placeOrder(ctx: ActionContext, order: () => OrderRequest, fingerprintOf: string): { OrderId: string } {
  const token = validToken(ctx);
  const earlier = rememberedOrder(ctx, token, fingerprintOf);
  if (earlier) return { OrderId: earlier };
  const { kind, records, period, periodUnit, codes } = order();
  for (const rec of records) {
    if (codes.chargeType && rec.chargeType !== "PrePaid") throw raise(codes.chargeType);
    if (rec.renewalStatus === "NotRenewal") throw raise(codes.status);
    if (ctx.state.processing(rec.id)) throw new ApiError(400, "LastOrderProcessing", "The previous order is still processing, please try again later.");
  }
  const now = ctx.state.now();
  const quotes = records.map((rec) => {
    const expiry = ctx.state.expiryOf(rec.id);
    return { rec, expiry, newExpiry: addPeriod(Math.max(expiry, now), period, periodUnit), price: renewalPrice(rec.monthlyPrice, { period, unit: periodUnit }, ctx.state.currency) };
  });
  const total = quotes.reduce((sum, q) => sum + q.price.tradePrice, 0);
  if (ctx.state.balance < total) {
    throw new ApiError(403, "InvalidAccountStatus.NotEnoughBalance", `Your account does not have enough balance to pay for this order: ${total.toFixed(2)} ${ctx.state.currency} is due.`);
  }
  let orderId = "";
  for (const q of quotes) {
    const charge = ctx.state.charge({
      instanceId: q.rec.id,
      family: kind,
      kind: "renew",
      period,
      periodUnit,
      amount: q.price.tradePrice,
      ...(token ? { clientToken: token } : {}),
      previousExpiredTime: formatTime(q.expiry),
      newExpiredTime: formatTime(q.newExpiry),
    });
    // One order for the whole call: the ledger's lines share the first one's id.
    if (!orderId) orderId = charge.orderId;
    else charge.orderId = orderId;
    ctx.state.extend(q.rec.id, q.newExpiry);
  }
  if (token) ctx.state.orders.set(token, { orderId, instanceId: records[0].id, fingerprint: fingerprintOf });
  return { OrderId: orderId };
}

/** Period and unit of a renewal order, checked against the family's set for the site. */
export function orderPeriod(ctx: ActionContext, allowed: Record<string, number[]>, defaultUnit: string, codes: { unit: Documented; period: Documented }): { period: number; unit: string } {
  const unit = ctx.params.get("PeriodUnit") || defaultUnit;
  const period = intParam(ctx, "Period", codes.period[1], codes.period[0]) ?? 1;
  if (!allowed[unit]) throw raise(codes.unit, `PeriodUnit ${unit}`);
  if (!allowed[unit].includes(period)) throw raise(codes.period, `Period ${period} with PeriodUnit ${unit}`);
  return { period, unit };
}

/** A record's auto-renew attribute in the fields every family's Describe…AutoRenew… call shares. */
export function renewView(rec: FamilyRecord): { Duration: number; PeriodUnit: string; RenewalStatus: RenewalStatus } {
  return { Duration: rec.renewalStatus === "AutoRenewal" ? rec.duration : 0, PeriodUnit: rec.periodUnit, RenewalStatus: rec.renewalStatus };
}
