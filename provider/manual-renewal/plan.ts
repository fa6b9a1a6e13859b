// The first child of ManualRenewal: its plan, recorded in state before the order (see plan-controller.ts).

import * as pulumi from "@pulumi/pulumi";
import { shimProvider, withShim } from "../shim";
import type { ManualRenewalArgs } from "./component";

export const RENEWAL_PLAN_TYPE = "pulumi-nodejs:dynamic/alicloud-renewal:RenewalPlan";

/** What identifies the renewal: the plan is replaced exactly when the order is. */
export interface RenewalPlanArgs
  extends Pick<ManualRenewalArgs, "instanceId" | "dedicatedHostId" | "reservedInstanceId" | "elasticityAssuranceId" | "regionId" | "period" | "periodUnit" | "expectedRenewDay" | "ensureExpiresAfter" | "renewalKey"> {
  scope: pulumi.Input<string>;
}

let provider: pulumi.dynamic.ResourceProvider | undefined;

export class RenewalPlan extends pulumi.dynamic.Resource {
  declare readonly plannedFromExpiredTime: pulumi.Output<string>;
  declare readonly plannedAt: pulumi.Output<string>;
  declare readonly clientToken: pulumi.Output<string>;

  constructor(name: string, args: RenewalPlanArgs, opts?: pulumi.CustomResourceOptions) {
    provider ??= shimProvider("RenewalPlan");
    super(provider, name, { ...args, plannedFromExpiredTime: undefined, plannedAt: undefined, clientToken: undefined }, withShim(opts, RENEWAL_PLAN_TYPE, "RenewalPlan"), "alicloud-renewal", "RenewalPlan");
  }
}
