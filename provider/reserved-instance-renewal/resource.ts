// ReservedInstanceRenewal: the auto-renew settings of a reserved instance (`ecsri-…`).

import * as pulumi from "@pulumi/pulumi";
import { SettingsResource, type SettingsArgs } from "../renewal-settings/resource";

export interface ReservedInstanceRenewalArgs extends SettingsArgs<"AutoRenewal" | "Normal", "Month" | "Year", "restore" | "Normal"> {
  /** The reserved instance, e.g. `ecsri-2ze53qonjqxg7r`; only an Active one may change its settings. */
  reservedInstanceId: pulumi.Input<string>;
  /** China site: Year 1, 3, 5 or Month 1; international site: Year 1, 3. */
  duration?: pulumi.Input<number>;
}

export class ReservedInstanceRenewal extends SettingsResource {
  declare readonly reservedInstanceId: pulumi.Output<string>;
  declare readonly chargeType: pulumi.Output<string>;

  constructor(name: string, args: ReservedInstanceRenewalArgs, opts?: pulumi.CustomResourceOptions) {
    super("ReservedInstanceRenewal", name, args, ["chargeType"], opts);
  }

  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ReservedInstanceRenewal {
    return new ReservedInstanceRenewal(name, { reservedInstanceId: id }, { ...opts, id });
  }
}
