// The InstanceRenewal resource as a Pulumi program sees it.

import * as pulumi from "@pulumi/pulumi";
import { shimProvider, withShim } from "../shim";
import type { PreviousSettings } from "./controller";

export interface InstanceRenewalArgs {
  /** The subscription (PrePaid) ECS instance, e.g. `i-bp67acfmxazb4ph1`. */
  instanceId: pulumi.Input<string>;
  /** Defaults to stack config `alicloud:region`, then `ALIBABA_CLOUD_REGION_ID` / `ALICLOUD_REGION`. */
  regionId?: pulumi.Input<string>;
  /** `AutoRenewal` (default), `Normal` (renew manually) or `NotRenewal` (let it expire). */
  renewalStatus?: pulumi.Input<"AutoRenewal" | "Normal" | "NotRenewal">;
  /** Auto-renew period length; Month: 1, 2, 3, 6, 12, 24, 36, 48, 60; Year: 1–5; Week: 1–4 (China site only). Default 1. */
  duration?: pulumi.Input<number>;
  /** Unit of `duration`: `Month` (default), `Year` or `Week` (China site only: stack config alicloud-renewal:site). */
  periodUnit?: pulumi.Input<"Month" | "Year" | "Week">;
  /**
   * What deleting this resource does to the instance: `restore` (default) puts back the settings found at
   * create; `Normal` or `NotRenewal` set that. Use Pulumi's `retainOnDelete` to leave the settings as they are.
   */
  onDelete?: pulumi.Input<"restore" | "Normal" | "NotRenewal">;
}

const TYPE = "pulumi-nodejs:dynamic/alicloud-renewal:InstanceRenewal";
// One provider object per process: the SDK serializes what it is given once and caches it.
let provider: pulumi.dynamic.ResourceProvider | undefined;

export class InstanceRenewal extends pulumi.dynamic.Resource {
  declare readonly instanceId: pulumi.Output<string>;
  declare readonly regionId: pulumi.Output<string>;
  declare readonly renewalStatus: pulumi.Output<"AutoRenewal" | "Normal" | "NotRenewal">;
  declare readonly duration: pulumi.Output<number>;
  declare readonly periodUnit: pulumi.Output<"Month" | "Year" | "Week">;
  declare readonly onDelete: pulumi.Output<"restore" | "Normal" | "NotRenewal">;
  declare readonly autoRenewEnabled: pulumi.Output<boolean>;
  /** `yyyy-MM-ddTHH:mmZ`, UTC, as ECS reports it. */
  declare readonly expiredTime: pulumi.Output<string>;
  declare readonly instanceChargeType: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  /** ISO time of the next auto-renew deduction (9 days before expiry at 08:00 UTC+8), when auto-renewing. */
  declare readonly nextAutoRenewDeduction: pulumi.Output<string | undefined>;
  /** The settings found when this resource was created. */
  declare readonly previous: pulumi.Output<PreviousSettings>;
  /** Set when auto-renew alone may not renew the instance before it expires. */
  declare readonly warning: pulumi.Output<string | undefined>;

  constructor(name: string, args: InstanceRenewalArgs, opts?: pulumi.CustomResourceOptions) {
    provider ??= shimProvider("InstanceRenewal");
    super(
      provider,
      name,
      {
        ...args,
        autoRenewEnabled: undefined,
        expiredTime: undefined,
        instanceChargeType: undefined,
        status: undefined,
        nextAutoRenewDeduction: undefined,
        previous: undefined,
        warning: undefined,
      },
      withShim(opts, TYPE, "InstanceRenewal"),
      "alicloud-renewal",
      "InstanceRenewal",
    );
  }

  /** Adopts the auto-renew settings of an existing instance; the id is the instance id. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): InstanceRenewal {
    return new InstanceRenewal(name, { instanceId: id }, { ...opts, id });
  }
}
