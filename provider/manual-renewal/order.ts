// The child dynamic resource of ManualRenewal: one renewal order (or one recorded skip).

import * as pulumi from "@pulumi/pulumi";
import { shimProvider, withShim } from "../shim";
import type { ManualRenewalArgs } from "./component";
import type { RenewalQuote } from "./quote";

export const RENEWAL_ORDER_TYPE = "pulumi-nodejs:dynamic/alicloud-renewal:RenewalOrder";

/** What ManualRenewal passes to its order: the user's arguments, the declaration's scope, the plan's expiry and the quote. */
export interface RenewalOrderArgs extends ManualRenewalArgs {
  scope: pulumi.Input<string>;
  /** The expiry the plan recorded when this renewal was first planned (the second guard, decision.ts row 4). */
  plannedFromExpiredTime?: pulumi.Input<string>;
  quote?: pulumi.Input<RenewalQuote>;
}

let provider: pulumi.dynamic.ResourceProvider | undefined;

export class RenewalOrder extends pulumi.dynamic.Resource {
  declare readonly orderId: pulumi.Output<string>;
  declare readonly skipped: pulumi.Output<boolean>;
  declare readonly reason: pulumi.Output<string>;
  declare readonly previousExpiredTime: pulumi.Output<string>;
  declare readonly expiredTime: pulumi.Output<string>;
  declare readonly expectedExpiredTime: pulumi.Output<string | undefined>;
  declare readonly confirmed: pulumi.Output<boolean | undefined>;
  declare readonly price: pulumi.Output<number | undefined>;
  declare readonly currency: pulumi.Output<string | undefined>;
  declare readonly clientToken: pulumi.Output<string>;
  declare readonly renewedAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: RenewalOrderArgs, opts?: pulumi.CustomResourceOptions) {
    provider ??= shimProvider("RenewalOrder");
    super(
      provider,
      name,
      {
        ...args,
        orderId: undefined,
        skipped: undefined,
        reason: undefined,
        previousExpiredTime: undefined,
        expiredTime: undefined,
        expectedExpiredTime: undefined,
        confirmed: undefined,
        price: undefined,
        currency: undefined,
        clientToken: undefined,
        renewedAt: undefined,
      },
      withShim(opts, RENEWAL_ORDER_TYPE, "RenewalOrder"),
      "alicloud-renewal",
      "RenewalOrder",
    );
  }
}
