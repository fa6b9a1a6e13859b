// EmrClusterRenewal: the auto-renew settings of an E-MapReduce cluster's subscription fee (`c-…`), through
// EMR 2021-03-20 (GetCluster, UpdateClusterAutoRenew). The cluster's ECS nodes are instances: renew them
// with InstanceRenewal (and ManualRenewal) on the same duration, as examples/emr-cluster does.

import * as pulumi from "@pulumi/pulumi";
import { SettingsResource, type SettingsArgs } from "../renewal-settings/resource";

export interface EmrClusterRenewalArgs extends SettingsArgs<"AutoRenewal" | "Normal", "Month" | "Year", "restore" | "Normal"> {
  /** The subscription cluster, e.g. `c-b933c5aac8fe`. */
  clusterId: pulumi.Input<string>;
  /** Month: 1–9, 12, 24, 36; Year: 1–3. */
  duration?: pulumi.Input<number>;
}

export class EmrClusterRenewal extends SettingsResource {
  declare readonly clusterId: pulumi.Output<string>;
  /** PrePaid (a subscription cluster) or PostPaid. */
  declare readonly chargeType: pulumi.Output<string>;

  constructor(name: string, args: EmrClusterRenewalArgs, opts?: pulumi.CustomResourceOptions) {
    super("EmrClusterRenewal", name, args, ["chargeType"], opts);
  }

  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): EmrClusterRenewal {
    return new EmrClusterRenewal(name, { clusterId: id }, { ...opts, id });
  }
}
