// A renewal order's behaviour. `create` places at most one RenewInstance order per intent:
//
//   instance missing / Pay-As-You-Go / NotRenewal        → refuse, nothing charged
//   outside onlyIfExpiresWithinDays                       → skip, nothing charged
//   ensureExpiresAfter already met                        → skip, nothing charged
//   price above maxPrice                                  → refuse, nothing charged
//   otherwise                                             → RenewInstance with the intent's ClientToken
//
// The token is derived from the declaration and the intent, so every attempt — a retry after a lost
// answer, a re-run after a crash between the charge and the state write — sends the same token and ECS
// answers with the first order instead of charging again. The charging call is retried only with that
// token and only when the outcome is unknown or the server failed. update (guards only) and delete call
// nothing; read refreshes the expiry and never orders.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ProviderContext } from "../context";
import type { InstanceInfo, RenewalPrice } from "../ecs/client";
import { apiErrorFields, RenewalError } from "../ecs/errors";
import { addRenewalPeriod, daysLeft, formatEcsTime, nextExpectedRenewDay, parseEcsTime } from "../ecs/expiry";
import { sleep } from "../ecs/retry";
import { isUnknown } from "../unknowns";
import { checkRenewalOrder, describeIntent, intentOf, RENEW_PERIODS, type RenewalIntent, type RenewalOrderInputs } from "./schema";

export interface RenewalOrderOutputs extends RenewalOrderInputs {
  orderId: string;
  skipped: boolean;
  reason: string;
  previousExpiredTime: string;
  expiredTime: string;
  price?: number;
  currency?: string;
  renewedAt?: string;
}

const TOKEN_KEYS = ["instanceId", "regionId", "clientToken"] as const;
const GUARD_KEYS = ["onlyIfExpiresWithinDays", "maxPrice"] as const;
const DAY_MS = 86_400_000;

/** What to order for an intent, from the current expiry: RenewInstance parameters and the expected new expiry. */
export function planRenewal(intent: RenewalIntent, expiry: Date, now: Date): { period?: number; periodUnit?: "Month" | "Week"; expectedRenewDay?: number; newExpiry: Date } | { satisfied: string } {
  const from = expiry.getTime() > now.getTime() ? expiry : now;
  if (intent.kind === "period") return { period: intent.period, periodUnit: intent.periodUnit, newExpiry: addRenewalPeriod(from, intent.period, intent.periodUnit) };
  if (intent.kind === "expectedRenewDay") return { expectedRenewDay: intent.expectedRenewDay, newExpiry: nextExpectedRenewDay(from, intent.expectedRenewDay) };
  const target = new Date(intent.ensureExpiresAfter);
  if (expiry.getTime() > target.getTime()) {
    return { satisfied: `already expires at ${formatEcsTime(expiry)}, after ${intent.ensureExpiresAfter}` };
  }
  for (const period of RENEW_PERIODS.Month) {
    const newExpiry = addRenewalPeriod(from, period, "Month");
    if (newExpiry.getTime() > target.getTime()) return { period, periodUnit: "Month", newExpiry };
  }
  throw new RenewalError(`ensureExpiresAfter ${intent.ensureExpiresAfter} is more than 60 months after the instance's expiry; one renewal cannot reach it. Use an earlier date.`);
}

/** Retry rule for the charging call: same token always; only unknown outcomes, server failures and "still processing". */
export const retryableForOrder = (processingWaitMs: number) => (error: unknown): { retry: boolean; minDelayMs?: number; throttled?: boolean } => {
  const f = apiErrorFields(error);
  if (f.code === "LastOrderProcessing" || f.code === "LastTokenProcessing") return { retry: true, minDelayMs: processingWaitMs };
  if (f.code?.includes("Throttling")) return { retry: true, minDelayMs: f.retryAfterMs, throttled: true };
  if (f.statusCode !== undefined && f.statusCode >= 500) return { retry: true };
  return { retry: f.noAnswer || f.notSent };
};

export class RenewalOrderController {
  constructor(private readonly context: () => ProviderContext) {}

  private get ctx(): ProviderContext {
    return this.context();
  }

  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    return checkRenewalOrder(olds ?? {}, news, { defaultRegion: this.ctx.settings.region, now: this.ctx.now() });
  }

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult> {
    // The token covers the declaration and the intent: a new token is a new renewal.
    const replaces = TOKEN_KEYS.filter((k) => isUnknown(news[k]) || olds[k] !== news[k]);
    const guards = GUARD_KEYS.filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length + guards.length > 0, replaces: [...replaces] };
  }

  async create(news: Record<string, unknown>): Promise<dynamic.CreateResult> {
    const inputs = news as unknown as RenewalOrderInputs;
    const { instanceId, regionId, clientToken } = inputs;
    const intent = intentOf(inputs);
    const info = await this.ctx.instances.instance(regionId, instanceId);
    if (!info) {
      throw new RenewalError(`ECS found no instance ${instanceId} in region ${regionId}. Check instanceId and regionId (or stack config alicloud:region); a released instance cannot be renewed.`, { code: "InvalidInstanceId.NotFound", instanceIds: [instanceId] });
    }
    this.refuseUnrenewable(info, instanceId);
    const attr = await this.ctx.instances.renewAttribute(regionId, instanceId);
    if (attr?.renewalStatus === "NotRenewal") {
      throw new RenewalError(
        `Instance ${instanceId} is set to NotRenewal (expire without renewal): someone decided to let it go. Nothing was charged. If it must live on, set it to Normal first (an InstanceRenewal with renewalStatus "Normal", or the console), then apply again.`,
        { code: "NotRenewal", instanceIds: [instanceId] },
      );
    }
    const expiry = parseEcsTime(info.expiredTime)!;
    const now = this.ctx.now();
    const base = { ...inputs, orderId: "", previousExpiredTime: info.expiredTime ?? "", expiredTime: info.expiredTime ?? "" };

    if (inputs.onlyIfExpiresWithinDays !== undefined && expiry.getTime() - now.getTime() > inputs.onlyIfExpiresWithinDays * DAY_MS) {
      return this.skip(base, `expires at ${formatEcsTime(expiry)} (${daysLeft(expiry, now)} days left), later than onlyIfExpiresWithinDays ${inputs.onlyIfExpiresWithinDays}`);
    }
    const plan = planRenewal(intent, expiry, now);
    if ("satisfied" in plan) return this.skip(base, plan.satisfied);

    const price = await this.price(regionId, instanceId, plan);
    if (inputs.maxPrice !== undefined && price.tradePrice > inputs.maxPrice) {
      throw new RenewalError(
        `Renewing instance ${instanceId} (${describeIntent(intent)}) would cost ${price.tradePrice} ${price.currency}, above maxPrice ${inputs.maxPrice}. Nothing was charged. Raise maxPrice or choose a shorter period.`,
        { code: "MaxPriceExceeded", instanceIds: [instanceId] },
      );
    }

    this.ctx.log.info(`ManualRenewal: ordering ${describeIntent(intent)} for ${instanceId} (expires ${formatEcsTime(expiry)}; ${price.tradePrice} ${price.currency}; client token ${clientToken.slice(0, 12)}…).`);
    const { orderId } = await this.ctx.api.renewInstance(
      regionId,
      { instanceId, clientToken, period: plan.period, periodUnit: plan.periodUnit, expectedRenewDay: plan.expectedRenewDay },
      retryableForOrder(this.ctx.processingWaitMs),
    );
    const ordered = { ...base, orderId, skipped: false, reason: `ordered: ${describeIntent(intent)}`, price: price.tradePrice, currency: price.currency, renewedAt: now.toISOString() };
    const expiredTime = await this.awaitNewExpiry(regionId, instanceId, expiry);
    if (expiredTime) return { id: orderId || clientToken, outs: { ...ordered, expiredTime } };
    // The order exists either way, so the resource does too: a later run must never order again. The
    // expiry did not move because ECS is slow to show it, or because ECS answered with an order this
    // client token placed earlier (a re-run after a crash) whose new expiry is what we read before.
    const note = `ordered; ECS did not show a later expiry within ${Math.round(this.ctx.consistencyTimeoutMs / 1000)} s (still settling, or order ${orderId} for this client token was applied before). pulumi refresh records it.`;
    this.ctx.log.warn(`ManualRenewal: ${instanceId}: ${note}`);
    return { id: orderId || clientToken, outs: { ...ordered, reason: note } };
  }

  async update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult> {
    // Only the guards changed; they matter before an order, and this one is already decided.
    return { outs: { ...olds, ...Object.fromEntries(GUARD_KEYS.map((k) => [k, news[k]])), quote: news.quote } };
  }

  async read(id: string, props: Record<string, unknown> = {}): Promise<dynamic.ReadResult> {
    const regionId = (props.regionId as string | undefined) ?? this.ctx.settings.region;
    const instanceId = props.instanceId as string | undefined;
    if (!regionId || !instanceId) return { id, props };
    const info = await this.ctx.instances.instance(regionId, instanceId);
    const inputs = Object.fromEntries(Object.entries(props).filter(([k]) => !["orderId", "skipped", "reason", "previousExpiredTime", "expiredTime", "price", "currency", "renewedAt"].includes(k)));
    // An order is history: it stays in state even when the instance is gone.
    return { id, props: { ...props, ...(info?.expiredTime ? { expiredTime: info.expiredTime } : {}) }, inputs };
  }

  async delete(_id: string, props: Record<string, unknown>): Promise<void> {
    this.ctx.log.info(`ManualRenewal: removing the record of ${props.orderId ? `order ${props.orderId}` : "a skipped renewal"} for ${props.instanceId}; nothing is charged and nothing is refunded.`);
  }

  private skip(base: Record<string, unknown>, reason: string): dynamic.CreateResult {
    this.ctx.log.info(`ManualRenewal: ${base.instanceId}: nothing to renew, ${reason}.`);
    return { id: `skipped-${String(base.clientToken).slice(0, 16)}`, outs: { ...base, skipped: true, reason } };
  }

  private refuseUnrenewable(info: InstanceInfo, id: string): void {
    if (info.instanceChargeType !== "PrePaid") {
      throw new RenewalError(`Instance ${id} is Pay-As-You-Go (${info.instanceChargeType}): only subscription instances are renewed. Nothing was charged. Remove this ManualRenewal.`, { code: "ChargeTypeViolation", instanceIds: [id] });
    }
  }

  private async price(regionId: string, instanceId: string, plan: { period?: number; periodUnit?: "Month" | "Week"; expectedRenewDay?: number }): Promise<RenewalPrice> {
    return this.ctx.api.describeRenewalPrice(regionId, { instanceId, period: plan.period, priceUnit: plan.periodUnit, expectedRenewDay: plan.expectedRenewDay });
  }

  /** ECS shows a renewal's new expiry after a delay (about 10 s): wait, bounded, logging progress. */
  private async awaitNewExpiry(regionId: string, instanceId: string, before: Date): Promise<string | undefined> {
    const started = Date.now();
    let delay = 100;
    let logged = 0;
    for (;;) {
      const info = await this.ctx.instances.instance(regionId, instanceId);
      const now = parseEcsTime(info?.expiredTime);
      if (info?.expiredTime && now && now.getTime() > before.getTime()) return info.expiredTime;
      const waited = Date.now() - started;
      if (waited > this.ctx.consistencyTimeoutMs) return undefined;
      if (waited - logged > 5_000) {
        logged = waited;
        this.ctx.log.info(`ManualRenewal: waiting for the new expiry of ${instanceId} to show (${Math.round(waited / 1000)} s).`);
      }
      await sleep(delay);
      delay = Math.min(2_000, delay * 2);
    }
  }
}
