// The InstanceRenewal resource as a Pulumi program sees it.

import * as pulumi from "@pulumi/pulumi";
import { SettingsResource, type SettingsArgs } from "../renewal-settings/resource";

export interface InstanceRenewalArgs extends SettingsArgs<"AutoRenewal" | "Normal" | "NotRenewal", "Month" | "Year" | "Week", "restore" | "Normal" | "NotRenewal"> {
  /** The subscription (PrePaid) ECS instance, e.g. `i-bp67acfmxazb4ph1`. */
  instanceId: pulumi.Input<string>;
  /** Auto-renew period length; Month: 1, 2, 3, 6, 12, 24, 36, 48, 60; Year: 1–5; Week: 1–4 (China site only). Default 1. */
  duration?: pulumi.Input<number>;
  /** Unit of `duration`: `Month` (default), `Year` or `Week` (China site only: stack config alicloud-renewal:site). */
  periodUnit?: pulumi.Input<"Month" | "Year" | "Week">;
}

export class InstanceRenewal extends SettingsResource {
  declare readonly instanceId: pulumi.Output<string>;
  declare readonly renewalStatus: pulumi.Output<"AutoRenewal" | "Normal" | "NotRenewal">;
  declare readonly periodUnit: pulumi.Output<"Month" | "Year" | "Week">;
  declare readonly onDelete: pulumi.Output<"restore" | "Normal" | "NotRenewal">;
  declare readonly instanceChargeType: pulumi.Output<string>;

  constructor(name: string, args: InstanceRenewalArgs, opts?: pulumi.CustomResourceOptions) {
    super("InstanceRenewal", name, args, ["instanceChargeType"], opts);
  }

  /** Adopts the auto-renew settings of an existing instance; the id is the instance id. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): InstanceRenewal {
    return new InstanceRenewal(name, { instanceId: id }, { ...opts, id });
  }
}
