// ManualRenewal: a one-shot, idempotent RenewInstance declared in a stack.

import * as pulumi from "@pulumi/pulumi";
import { RenewalOrder } from "./order";
import { quoteRenewal } from "./quote";

export interface ManualRenewalArgs {
  instanceId: pulumi.Input<string>;
  /** Defaults to stack config `alicloud:region`, then `ALIBABA_CLOUD_REGION_ID` / `ALICLOUD_REGION`. */
  regionId?: pulumi.Input<string>;
  /** Renew by this many units (Month: 1–9, 12, 24, 36, 48, 60; Week: 1–4). The default intent is 1 Month. */
  period?: pulumi.Input<number>;
  periodUnit?: pulumi.Input<"Month" | "Week">;
  /** Renew up to the unified expiry date: this day of the month (1–28). */
  expectedRenewDay?: pulumi.Input<number>;
  /** Renew by the smallest period that makes the instance expire after this ISO-8601 date; nothing if it already does. */
  ensureExpiresAfter?: pulumi.Input<string>;
  /** Only renew when the instance expires within this many days (the console's urgent view uses 15). */
  onlyIfExpiresWithinDays?: pulumi.Input<number>;
  /** Never pay more than this (account currency); the price comes from DescribeRenewalPrice. */
  maxPrice?: pulumi.Input<number>;
  /** Change it to ask for another renewal with the same intent. */
  renewalKey?: pulumi.Input<string>;
}

export class ManualRenewal extends pulumi.ComponentResource {
  readonly orderId: pulumi.Output<string>;
  readonly skipped: pulumi.Output<boolean>;
  readonly reason: pulumi.Output<string>;
  readonly previousExpiredTime: pulumi.Output<string>;
  readonly expiredTime: pulumi.Output<string>;
  readonly price: pulumi.Output<number | undefined>;
  readonly currency: pulumi.Output<string | undefined>;
  readonly clientToken: pulumi.Output<string>;
  readonly renewedAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: ManualRenewalArgs, opts?: pulumi.ComponentResourceOptions) {
    super("alicloud-renewal:index:ManualRenewal", name, {}, opts);
    const quote = pulumi
      .all([args.instanceId, args.regionId, args.period, args.periodUnit, args.expectedRenewDay, args.ensureExpiresAfter, args.onlyIfExpiresWithinDays])
      .apply(([instanceId, regionId, period, periodUnit, expectedRenewDay, ensureExpiresAfter, onlyIfExpiresWithinDays]) =>
        quoteRenewal({ instanceId, regionId: regionId as string, period, periodUnit, expectedRenewDay, ensureExpiresAfter, onlyIfExpiresWithinDays }),
      );
    const order = new RenewalOrder(
      `${name}-order`,
      { ...args, scope: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`, quote },
      { parent: this },
    );
    this.orderId = order.orderId;
    this.skipped = order.skipped;
    this.reason = order.reason;
    this.previousExpiredTime = order.previousExpiredTime;
    this.expiredTime = order.expiredTime;
    this.price = order.price;
    this.currency = order.currency;
    this.clientToken = order.clientToken;
    this.renewedAt = order.renewedAt;
    this.registerOutputs({ orderId: this.orderId, skipped: this.skipped, reason: this.reason, expiredTime: this.expiredTime, price: this.price });
  }
}
