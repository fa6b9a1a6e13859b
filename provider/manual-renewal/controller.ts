// A renewal order's behaviour: `create` places at most one RenewInstance order per intent.
//
// Before the charge, decision.ts decides from ECS's own report (refuse, skip, or order). The charge:
//
//   | RenewInstance outcome (every attempt sends the same ClientToken)  | what happens                          |
//   |-------------------------------------------------------------------|---------------------------------------|
//   | OrderId, new expiry shows within the consistency timeout          | created, confirmed, expiry recorded   |
//   | OrderId, new expiry does not show in time (ECS can take minutes)  | created, unconfirmed: the next refresh|
//   |                                                                   | or up confirms it; never orders again |
//   | throttling, 5xx, no answer, "still processing" (LastOrderProcessing| retried with the same token; the      |
//   | LastTokenProcessing, Idempotence.Processing)                      | processing ones within a time budget  |
//   | any other answer (4xx), no earlier attempt without an answer      | fails at once: nothing was charged    |
//   | retries run out, or a 4xx, after an attempt that may have charged | expiry moved as far as the order moves|
//   | (no answer, 5xx, LastTokenProcessing, Idempotence.Processing)     | it: created (order id lost); not: fails|
//   |                                                                   | saying the outcome is unknown; the    |
//   |                                                                   | next run's plan guard or token stops a|
//   |                                                                   | second charge                         |
//
// update (guards, confirmation) and delete never order; read refreshes the expiry and never orders.

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { checkContext, type ProviderContext } from "../context";
import { definedOnly } from "../defined";
import type { RenewalPrice } from "../ecs/client";
import { apiErrorFields, isThrottling, RenewalError, type ApiErrorFields } from "../ecs/errors";
import { formatEcsTime as formatTime, parseEcsTime } from "../ecs/expiry";
import { sleep } from "../ecs/retry";
import { PRICEABLE, priceQuery } from "../ecs/value-sets";
import type { BatchedSubscriptions } from "../families/batched";
import type { SubscriptionFamily, SubscriptionInfo } from "../families/family";
import { isUnknown } from "../unknowns";
import { decide, overPrice, pastHost, reaches, type Decision, type RenewalParameters } from "./decision";
import { checkRenewalOrder, describeIntent, familyOf, IDENTITY_KEYS, intentOf, subscriptionIdOf, type RenewalIntent, type RenewalOrderInputs } from "./schema";

export interface RenewalOrderOutputs extends RenewalOrderInputs {
  orderId: string;
  skipped: boolean;
  reason: string;
  previousExpiredTime: string;
  expiredTime: string;
  /** The expiry the order gives, as planned before the charge. */
  expectedExpiredTime?: string;
  /** For an order: whether ECS shows the new expiry yet. An unconfirmed order is confirmed by the next refresh or up. */
  confirmed?: boolean;
  /** Absent when DescribeRenewalPrice cannot price the order (48 or 60 months, weeks). */
  price?: number;
  currency?: string;
  renewedAt?: string;
}

/** A change to any of these is a new renewal: replace (the old record's delete charges nothing). */
const REPLACE_KEYS = [...IDENTITY_KEYS, "clientToken"] as const;
/** Guards matter only before an order; changing them is an update that calls nothing. */
const GUARD_KEYS = ["onlyIfExpiresWithinDays", "maxPrice"] as const;
/** Inputs that inform and never trigger anything: they change from run to run. */
const INFORMATIONAL_KEYS = ["quote", "plannedFromExpiredTime"] as const;
const RESULT_KEYS = ["orderId", "skipped", "reason", "previousExpiredTime", "expiredTime", "expectedExpiredTime", "confirmed", "price", "currency", "renewedAt"];
/** "An order may be in flight": wait and send the same token again. */
const PROCESSING_CODES = new Set(["LastOrderProcessing", "LastTokenProcessing", "Idempotence.Processing"]);
type Skip = Extract<Decision, { action: "skip" }>;
type Order = Extract<Decision, { action: "order" }> & { host?: { id: string; expiry: Date } };
type Props = Record<string, unknown>;

/**
 * Retry rule for the charging call: same token always; only unknown outcomes, server failures, throttling
 * and "still processing". The last two are about timing, not failure: they are retried within a time budget.
 */
export const retryableForOrder = (processingWaitMs: number) => (error: unknown): { retry: boolean; minDelayMs?: number; timing?: boolean } => {
  const f = apiErrorFields(error);
  if (f.code !== undefined && PROCESSING_CODES.has(f.code)) return { retry: true, minDelayMs: processingWaitMs, timing: true };
  if (isThrottling(f)) return { retry: true, minDelayMs: f.retryAfterMs, timing: true };
  if (f.statusCode !== undefined && f.statusCode >= 500) return { retry: true };
  return { retry: f.noAnswer || f.notSent };
};

/**
 * True when a failed attempt may have reached ECS and placed the order: no answer, a 5xx (it can follow an
 * applied change), or ECS saying this token's request is still being processed.
 */
function mayHaveCharged(f: ApiErrorFields): boolean {
  return f.noAnswer || (f.statusCode !== undefined && f.statusCode >= 500) || f.code === "LastTokenProcessing" || f.code === "Idempotence.Processing";
}

/** A final answer that refuses the order: a 4xx that is not about timing. */
function refusedOutright(f: ApiErrorFields): boolean {
  return f.statusCode !== undefined && f.statusCode >= 400 && f.statusCode < 500 && !isThrottling(f) && !PROCESSING_CODES.has(f.code ?? "");
}

function withTail(error: unknown, tail: string): unknown {
  if (!(error instanceof RenewalError) || error.message.includes(tail.trim())) return error;
  return new RenewalError(error.message + tail, { code: error.code, requestId: error.requestId, action: error.action, instanceIds: error.instanceIds });
}

/** An order whose new expiry ECS did not show yet (state of earlier versions says so by an unmoved expiry). */
function unconfirmed(outs: Props): boolean {
  if (outs.skipped !== false) return false;
  if (typeof outs.confirmed === "boolean") return !outs.confirmed;
  return outs.expiredTime === outs.previousExpiredTime;
}

/**
 * How long after the order an unconfirmed one makes `up` look again. ECS documents seconds to minutes; a day
 * later something else is going on (an order placed by this token before, already applied), and a change
 * shown on every preview would only be noise: refresh still looks.
 */
const CONFIRM_WINDOW_MS = 86_400_000;

function confirmationDue(outs: Props, now: Date): boolean {
  return unconfirmed(outs) && !(Date.parse(String(outs.renewedAt)) < now.getTime() - CONFIRM_WINDOW_MS);
}

export class RenewalOrderController {
  /** Orders for one instance run one after another in this process, so the second sees the first's expiry. */
  private readonly turns = new Map<string, Promise<unknown>>();

  constructor(private readonly context: () => ProviderContext) {}

  private get ctx(): ProviderContext {
    return this.context();
  }

  /** The batched view of the family the renewal's inputs name. */
  private view(family: SubscriptionFamily): BatchedSubscriptions {
    return this.ctx.families[family.kind];
  }

  async check(olds: Props, news: Props): Promise<dynamic.CheckResult> {
    return checkRenewalOrder(olds ?? {}, news, checkContext(this.ctx));
  }

  /** A new intent replaces; a guard change updates; an unconfirmed order updates too, which confirms it. */
  async diff(_id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
    const replaces = REPLACE_KEYS.filter((k) => isUnknown(news[k]) || olds[k] !== news[k]);
    const guards = GUARD_KEYS.filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length + guards.length > 0 || confirmationDue(olds, this.ctx.now()), replaces: [...replaces], deleteBeforeReplace: false };
  }

  async create(news: Props): Promise<dynamic.CreateResult> {
    const inputs = news as unknown as RenewalOrderInputs;
    return this.inTurn(`${inputs.regionId}/${subscriptionIdOf(inputs)}`, () => this.order(inputs));
  }

  async update(_id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
    const outs: Props = { ...olds };
    for (const k of [...GUARD_KEYS, ...INFORMATIONAL_KEYS]) {
      if (news[k] === undefined) delete outs[k];
      else outs[k] = news[k];
    }
    if (!unconfirmed(outs)) return { outs };
    // Record what ECS shows now. Never orders again.
    const info = await this.view(familyOf(outs)).info(outs.regionId as string, subscriptionIdOf(outs));
    return { outs: { ...outs, ...this.confirmation(outs, info) } };
  }

  async read(id: string, props: Props = {}): Promise<dynamic.ReadResult> {
    const regionId = (props.regionId as string | undefined) ?? this.ctx.settings.region;
    const family = familyOf(props);
    const subscriptionId = props[family.idInput] as string | undefined;
    const inputs = Object.fromEntries(Object.entries(props).filter(([k]) => !RESULT_KEYS.includes(k)));
    if (!regionId || !subscriptionId) return { id, props, inputs };
    const info = await this.view(family).info(regionId, subscriptionId);
    // An order is history: it stays in state even when the instance is gone.
    const shown = info?.expiredTime ? { expiredTime: info.expiredTime } : {};
    return { id, props: { ...props, ...shown, ...(unconfirmed(props) ? this.confirmation(props, info) : {}) }, inputs };
  }

  async delete(_id: string, props: Props): Promise<void> {
    const what = props.orderId ? `order ${props.orderId}` : props.skipped ? "a skipped renewal" : "a renewal";
    this.ctx.log.info(`ManualRenewal: removing the record of ${what} for ${subscriptionIdOf(props)}; nothing is charged and nothing is refunded.`);
  }

  /** An unconfirmed order against what ECS shows now: confirmed once the expiry reaches what the order gives. */
  private confirmation(outs: Props, info: SubscriptionInfo | undefined): Props {
    const shown = parseEcsTime(info?.expiredTime);
    if (!info?.expiredTime || !shown) return {};
    const expected = parseEcsTime(outs.expectedExpiredTime as string | undefined);
    const previous = parseEcsTime(outs.previousExpiredTime as string | undefined);
    const done = expected ? reaches(shown, expected) : previous !== undefined && shown.getTime() > previous.getTime();
    const order = `order ${outs.orderId || "id unknown"}`;
    if (done) return { expiredTime: info.expiredTime, confirmed: true, reason: `ordered: ${describeIntent(intentOf(outs as unknown as RenewalOrderInputs))}` };
    const still = `ordered (${order}), unconfirmed: ECS still shows the expiry ${info.expiredTime}${expected ? `, before the ${formatTime(expected)} this order gives` : ""}`;
    const reason = confirmationDue(outs, this.ctx.now())
      ? `${still}. A renewal can take minutes to show; pulumi refresh or the next pulumi up checks again and orders nothing`
      : `${still}, a day after it was placed: check the order in the Billing console (Expenses > Orders). Nothing more is ordered; pulumi refresh still records the expiry`;
    return { expiredTime: info.expiredTime, confirmed: false, reason };
  }

  private async inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.turns.get(key) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(key, settled);
    try {
      return await mine;
    } finally {
      if (this.turns.get(key) === settled) this.turns.delete(key);
    }
  }

  /** Rows 1 to 7 of the decision table: reads only, so whatever fails here, nothing was charged. */
  private async beforeCharge(inputs: RenewalOrderInputs, intent: RenewalIntent, now: Date): Promise<Skip | (Order & { price?: RenewalPrice })> {
    const { regionId } = inputs;
    const family = familyOf(inputs);
    const id = subscriptionIdOf(inputs);
    try {
      const view = this.view(family);
      const info = await view.info(regionId, id);
      const attr = info?.chargeType === "PrePaid" ? await view.attribute(regionId, id) : undefined;
      const host = await this.hostOf(regionId, info);
      const plannedFrom = parseEcsTime(inputs.plannedFromExpiredTime);
      const site = this.ctx.settings.site;
      const decision = decide({ family, id, regionId, info, renewalStatus: attr?.renewalStatus, host, intent, onlyIfExpiresWithinDays: inputs.onlyIfExpiresWithinDays, plannedFrom, now, site });
      if (decision.action === "refuse") throw new RenewalError(decision.message, { code: decision.code, instanceIds: [id] });
      if (decision.action === "skip") return decision;
      const price = family.renewal?.priceable ? await this.price(regionId, id, intent, decision.parameters) : undefined;
      const refusal = overPrice(id, intent, decision.parameters, price, inputs.maxPrice);
      if (refusal) throw new RenewalError(refusal, { code: "MaxPriceExceeded", instanceIds: [id] });
      return { ...decision, price, host };
    } catch (error) {
      throw withTail(error, " Nothing was charged.");
    }
  }

  /** The dedicated host an instance runs on, with its expiry, which the instance may not outlive. */
  private async hostOf(regionId: string, info: SubscriptionInfo | undefined): Promise<{ id: string; expiry: Date } | undefined> {
    if (!info?.dedicatedHostId) return undefined;
    const host = await this.ctx.families.dedicatedHost.info(regionId, info.dedicatedHostId);
    const expiry = parseEcsTime(host?.expiredTime);
    return host && host.chargeType === "PrePaid" && expiry ? { id: host.id, expiry } : undefined;
  }

  private async order(inputs: RenewalOrderInputs): Promise<dynamic.CreateResult> {
    const { regionId, clientToken } = inputs;
    const instanceId = subscriptionIdOf(inputs);
    const intent = intentOf(inputs);
    const now = this.ctx.now();
    const decision = await this.beforeCharge(inputs, intent, now);
    if (decision.action === "skip") {
      this.ctx.log.info(`ManualRenewal: ${instanceId}: nothing to renew, ${decision.reason}.`);
      const outs = { ...inputs, orderId: "", skipped: true, reason: decision.reason, previousExpiredTime: formatTime(decision.previousExpiry), expiredTime: formatTime(decision.expiry) };
      return { id: `skipped-${clientToken.slice(0, 16)}`, outs };
    }
    const { expiry, parameters, price } = decision;
    const before = formatTime(expiry);
    const cost = price ? `${price.tradePrice} ${price.currency}` : `price unknown: DescribeRenewalPrice prices ${PRICEABLE} only`;
    this.ctx.log.info(`ManualRenewal: ordering ${describeIntent(intent)} for ${instanceId} (expires ${before}; ${cost}; client token ${clientToken.slice(0, 12)}…).`);
    const ordered = {
      ...inputs,
      skipped: false,
      reason: `ordered: ${describeIntent(intent)}`,
      previousExpiredTime: before,
      expiredTime: before,
      expectedExpiredTime: formatTime(parameters.newExpiry),
      price: price?.tradePrice,
      currency: price?.currency,
      renewedAt: now.toISOString(),
    };

    const charged = await this.charge(inputs, intent, parameters, expiry, decision.host);
    const outs = { ...ordered, orderId: charged.orderId, ...(charged.reason ? { reason: charged.reason } : {}) };
    const shown = charged.expiredTime ?? (await this.awaitNewExpiry(familyOf(inputs), regionId, instanceId, expiry, parameters.newExpiry));
    const id = charged.orderId || clientToken;
    if (shown) return { id, outs: definedOnly({ ...outs, expiredTime: shown, confirmed: true }) };
    // The order went through; only its new expiry is late, which ECS documents as taking up to minutes.
    const waited = Math.round(this.ctx.consistencyTimeoutMs / 1000);
    const reason = `ordered (order ${charged.orderId}), unconfirmed: the new expiry had not shown after ${waited} s (a renewal can take minutes to show); pulumi refresh or the next pulumi up confirms it and orders nothing`;
    this.ctx.log.warn(`ManualRenewal: ${instanceId}: ${reason}.`);
    return { id, outs: definedOnly({ ...outs, confirmed: false, reason }) };
  }

  /** One RenewInstance order, retried with the same token; see the table at the top for every outcome. */
  private async charge(inputs: RenewalOrderInputs, intent: RenewalIntent, p: RenewalParameters, expiry: Date, host?: { id: string; expiry: Date }): Promise<{ orderId: string; reason?: string; expiredTime?: string }> {
    const { regionId, clientToken } = inputs;
    const family = familyOf(inputs);
    const instanceId = subscriptionIdOf(inputs);
    const rule = retryableForOrder(this.ctx.processingWaitMs);
    let unsure = false;
    let last: ApiErrorFields | undefined;
    try {
      const { orderId } = await family.api.renew!(
        { api: this.ctx.api, emr: this.ctx.emr },
        regionId,
        { id: instanceId, clientToken, period: p.period, periodUnit: p.periodUnit, expectedRenewDay: p.expectedRenewDay },
        (error) => {
          last = apiErrorFields(error);
          if (mayHaveCharged(last)) unsure = true;
          return rule(error);
        },
      );
      return { orderId };
    } catch (error) {
      if (!unsure) {
        // Every attempt got an answer that placed nothing.
        if (last && refusedOutright(last)) {
          if (intent.kind === "expectedRenewDay" && /ExpectedRenewDay/i.test(last.code ?? "")) throw this.renewDayRefused(error, intent.expectedRenewDay, instanceId);
          if (last.code === "IdempotentParameterMismatch" || last.code === "IdempotenceParamNotMatch") throw error;
          if (last.code === "InvalidPeriod.ExceededDedicatedHost" && host) {
            const e = error as RenewalError;
            throw new RenewalError(`${pastHost(instanceId, intent, p.newExpiry, host)} (ECS ${e.action ?? "RenewInstance"} error ${e.code}${e.requestId ? `, request id ${e.requestId}` : ""})`, { code: e.code, requestId: e.requestId, action: e.action, instanceIds: [instanceId] });
          }
        }
        throw withTail(error, " Nothing was charged.");
      }
      // An attempt may have placed the order and lost its answer, whatever the last attempt said: ECS's
      // expiry says whether it did, if it moved as far as this order would move it (not merely later, which
      // another renewal could do).
      this.ctx.log.warn(`ManualRenewal: ${instanceId}: ${family.renewal!.action} gave no usable answer (${last?.code ?? "no answer"}); checking whether the order went through.`);
      const shown = await this.awaitNewExpiry(familyOf(inputs), regionId, instanceId, expiry, p.newExpiry);
      if (shown) {
        return { orderId: "", expiredTime: shown, reason: `ordered: ${describeIntent(intent)}; ECS's answer was lost, so the order id is unknown, but the expiry moved from ${formatTime(expiry)} to ${shown}` };
      }
      throw withTail(
        error,
        " Whether ECS placed the order is unknown, and the expiry has not moved. Run pulumi up again: the same client token makes ECS return that order instead of charging twice, and a renewal that shows by then is not ordered again.",
      );
    }
  }

  /** The order's price, or undefined when DescribeRenewalPrice cannot price it (see priceQuery). */
  private async price(regionId: string, instanceId: string, intent: RenewalIntent, p: RenewalParameters): Promise<RenewalPrice | undefined> {
    const query = priceQuery(p);
    if (!query) return undefined;
    try {
      return await this.ctx.api.describeRenewalPrice(regionId, { instanceId, ...query });
    } catch (error) {
      const code = error instanceof RenewalError ? error.code ?? "" : "";
      if (intent.kind === "expectedRenewDay" && /ExpectedRenewDay/i.test(code)) throw this.renewDayRefused(error, intent.expectedRenewDay, instanceId);
      throw error;
    }
  }

  /** RenewInstance takes ExpectedRenewDay only when it equals the account's unified expiration day. */
  private renewDayRefused(error: unknown, day: number, instanceId: string): RenewalError {
    const e = error instanceof RenewalError ? error : undefined;
    return new RenewalError(
      `ECS refused expectedRenewDay ${day} for instance ${instanceId}: it must equal the unified expiration day set for the account (Billing console, or BSS SetAllExpirationDay). Nothing was charged. Set the account's unified expiration day to ${day}, use the day that is set, or renew by period instead.${e?.code ? ` (ECS error ${e.code}${e.requestId ? `, request id ${e.requestId}` : ""})` : ""}`,
      { code: e?.code, requestId: e?.requestId, action: e?.action, instanceIds: [instanceId] },
    );
  }

  /** ECS shows a renewal's new expiry after a delay (about 10 s): wait, bounded, logging progress. */
  private async awaitNewExpiry(family: SubscriptionFamily, regionId: string, instanceId: string, before: Date, atLeast?: Date): Promise<string | undefined> {
    const started = Date.now();
    let delay = 100;
    let logged = 0;
    for (;;) {
      // The order exists by now: a failed read must not lose it, so it only costs this round.
      const info = await this.view(family).info(regionId, instanceId).catch((error: unknown) => {
        this.ctx.log.warn(`ManualRenewal: reading the expiry of ${instanceId} failed (${(error as Error).message}); still waiting.`);
        return undefined;
      });
      const now = parseEcsTime(info?.expiredTime);
      if (info?.expiredTime && now && now.getTime() > before.getTime() && (!atLeast || reaches(now, atLeast))) return info.expiredTime;
      const waited = Date.now() - started;
      if (waited >= this.ctx.consistencyTimeoutMs) return undefined;
      if (waited - logged >= 5_000) {
        logged = waited;
        this.ctx.log.info(`ManualRenewal: waiting for the new expiry of ${instanceId} to show (${Math.round(waited / 1000)} s of ${Math.round(this.ctx.consistencyTimeoutMs / 1000)} s).`);
      }
      await sleep(Math.min(delay, Math.max(0, this.ctx.consistencyTimeoutMs - waited)));
      delay = Math.min(2_000, delay * 2);
    }
  }
}
