// ManualRenewal: a one-shot, idempotent RenewInstance declared in a stack.
//
// Children: `<name>-plan` records the instance's expiry the first time this renewal is planned, and
// `<name>-order` places at most one order for the intent (decision table: decision.ts, controller.ts).
// The program also quotes the renewal (read-only) so that `pulumi preview` shows what it will do.

import * as pulumi from "@pulumi/pulumi";
import { RenewalOrder } from "./order";
import { RenewalPlan } from "./plan";
import { quoteRenewal } from "./quote";

/**
 * Exactly one of `instanceId`, `dedicatedHostId`, `reservedInstanceId`, `elasticityAssuranceId`: the
 * subscription to renew. An instance on a dedicated host cannot be renewed past the host's expiry.
 */
export interface ManualRenewalArgs {
  /** An ECS instance (RenewInstance). */
  instanceId?: pulumi.Input<string>;
  /** A dedicated host (RenewDedicatedHosts): by Week, Month or Year (Week on the China site only). */
  dedicatedHostId?: pulumi.Input<string>;
  /** A reserved instance (RenewReservedInstances): Year 1, 3, 5 or Month 1 (international site: Year 1, 3). */
  reservedInstanceId?: pulumi.Input<string>;
  /** An elasticity assurance (RenewElasticityAssurances): Week 1–3, Month 1–9, Year 1–5. */
  elasticityAssuranceId?: pulumi.Input<string>;
  /** Defaults to stack config `alicloud:region`, then `ALIBABA_CLOUD_REGION_ID` / `ALICLOUD_REGION`. */
  regionId?: pulumi.Input<string>;
  /**
   * The intent is one of: `period` (+ `periodUnit`), `expectedRenewDay`, or `ensureExpiresAfter`.
   * With none of them, the intent is `period: 1, periodUnit: "Month"`.
   *
   * Renew by this many units: Month 1–9, 12, 24, 36, 48, 60 (international site: 1–9, 12); Week 1–4
   * (China site only). ECS prices 1–9 months and 12, 24, 36 months (as years) only: a price guard on
   * another period cannot be checked, so `maxPrice` refuses it.
   */
  period?: pulumi.Input<number>;
  /** `Month` (default), `Week` (China site only), or `Year` where the family renews by years; only with `period`. */
  periodUnit?: pulumi.Input<"Month" | "Week" | "Year">;
  /**
   * Renew up to the account's unified expiration day: this day of the month (1–28), which must be the day
   * set for the account. The new expiry is 00:00 (UTC+8) of that day, at least one month ahead.
   */
  expectedRenewDay?: pulumi.Input<number>;
  /** Renew by the smallest monthly period that makes the instance expire after this ISO-8601 date; nothing if it already does. */
  ensureExpiresAfter?: pulumi.Input<string>;
  /** Only renew when the instance expires within this many days (the console's urgent view uses 15). */
  onlyIfExpiresWithinDays?: pulumi.Input<number>;
  /** Never pay more than this (account currency); the price comes from DescribeRenewalPrice. */
  maxPrice?: pulumi.Input<number>;
  /** Change it to ask for another renewal with the same intent. */
  renewalKey?: pulumi.Input<string>;
}

/**
 * Renews an ECS subscription instance once per intent: the same declaration never charges twice, and
 * nothing is charged when the instance is already paid far enough. Changing the intent, `instanceId`,
 * `regionId` or `renewalKey` asks for a new renewal; rename it only with `aliases`, as any resource.
 */
export class ManualRenewal extends pulumi.ComponentResource {
  readonly orderId: pulumi.Output<string>;
  readonly skipped: pulumi.Output<boolean>;
  readonly reason: pulumi.Output<string>;
  readonly previousExpiredTime: pulumi.Output<string>;
  readonly expiredTime: pulumi.Output<string>;
  /** The expiry the order gives. */
  readonly expectedExpiredTime: pulumi.Output<string | undefined>;
  /** False while ECS does not show the new expiry yet; the next refresh or up confirms it. */
  readonly confirmed: pulumi.Output<boolean | undefined>;
  /** Undefined when ECS cannot price the order. */
  readonly price: pulumi.Output<number | undefined>;
  readonly currency: pulumi.Output<string | undefined>;
  readonly clientToken: pulumi.Output<string>;
  readonly renewedAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: ManualRenewalArgs, opts?: pulumi.ComponentResourceOptions) {
    super("alicloud-renewal:index:ManualRenewal", name, {}, opts);
    const scope = `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
    const plan = new RenewalPlan(
      `${name}-plan`,
      {
        instanceId: args.instanceId,
        dedicatedHostId: args.dedicatedHostId,
        reservedInstanceId: args.reservedInstanceId,
        elasticityAssuranceId: args.elasticityAssuranceId,
        regionId: args.regionId,
        period: args.period,
        periodUnit: args.periodUnit,
        expectedRenewDay: args.expectedRenewDay,
        ensureExpiresAfter: args.ensureExpiresAfter,
        renewalKey: args.renewalKey,
        scope,
      },
      { parent: this },
    );
    const quote = pulumi
      .all([
        pulumi.all([args.instanceId, args.dedicatedHostId, args.reservedInstanceId, args.elasticityAssuranceId]),
        args.regionId,
        args.period,
        args.periodUnit,
        args.expectedRenewDay,
        args.ensureExpiresAfter,
        args.onlyIfExpiresWithinDays,
      ])
      .apply(([[instanceId, dedicatedHostId, reservedInstanceId, elasticityAssuranceId], regionId, period, periodUnit, expectedRenewDay, ensureExpiresAfter, onlyIfExpiresWithinDays]) =>
        quoteRenewal({ instanceId, dedicatedHostId, reservedInstanceId, elasticityAssuranceId, regionId: regionId as string, period, periodUnit, expectedRenewDay, ensureExpiresAfter, onlyIfExpiresWithinDays }),
      );
    const order = new RenewalOrder(`${name}-order`, { ...args, scope, quote, plannedFromExpiredTime: plan.plannedFromExpiredTime }, { parent: this });
    this.orderId = order.orderId;
    this.skipped = order.skipped;
    this.reason = order.reason;
    this.previousExpiredTime = order.previousExpiredTime;
    this.expiredTime = order.expiredTime;
    this.expectedExpiredTime = order.expectedExpiredTime;
    this.confirmed = order.confirmed;
    this.price = order.price;
    this.currency = order.currency;
    this.clientToken = order.clientToken;
    this.renewedAt = order.renewedAt;
    this.registerOutputs({
      orderId: this.orderId,
      skipped: this.skipped,
      reason: this.reason,
      previousExpiredTime: this.previousExpiredTime,
      expiredTime: this.expiredTime,
      expectedExpiredTime: this.expectedExpiredTime,
      confirmed: this.confirmed,
      price: this.price,
      currency: this.currency,
      clientToken: this.clientToken,
      renewedAt: this.renewedAt,
    });
  }
}
