// ElasticityAssuranceRenewal: the auto-renew settings of an elasticity assurance (`eap-…`).

import * as pulumi from "@pulumi/pulumi";
import { SettingsResource, type SettingsArgs } from "../renewal-settings/resource";

export interface ElasticityAssuranceRenewalArgs extends SettingsArgs<"AutoRenewal" | "Normal" | "NotRenewal", "Month" | "Year", "restore" | "Normal" | "NotRenewal"> {
  /** The elasticity assurance (its private pool id), e.g. `eap-bp67acfmxazb4ph`. */
  elasticityAssuranceId: pulumi.Input<string>;
  /** Year 1, 3, 5 or Month 1. */
  duration?: pulumi.Input<number>;
}

export class ElasticityAssuranceRenewal extends SettingsResource {
  declare readonly elasticityAssuranceId: pulumi.Output<string>;
  declare readonly chargeType: pulumi.Output<string>;

  constructor(name: string, args: ElasticityAssuranceRenewalArgs, opts?: pulumi.CustomResourceOptions) {
    super("ElasticityAssuranceRenewal", name, args, ["chargeType"], opts);
  }

  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ElasticityAssuranceRenewal {
    return new ElasticityAssuranceRenewal(name, { elasticityAssuranceId: id }, { ...opts, id });
  }
}
