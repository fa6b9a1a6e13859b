// Rule 1: a subscription instance declared in the stack has a renewal plan. Without one it stops when its
// paid period ends and is released 15 days later, with its disks.

import type { StackValidationPolicy } from "@pulumi/policy";
import { shown, UNKNOWN } from "./resources";
import { instancesOf } from "./stack";

export const HAS_RENEWAL_PLAN = "prepaid-instance-has-renewal-plan";

export const hasRenewalPlan: StackValidationPolicy = {
  name: HAS_RENEWAL_PLAN,
  description:
    'Every subscription (PrePaid) alicloud.ecs.Instance has a renewal plan: an InstanceRenewal for it in the stack, or its own renewalStatus "AutoRenewal".',
  enforcementLevel: "advisory",
  severity: "high",
  remediationSteps: 'Declare new InstanceRenewal("<name>-renewal", { instanceId: <instance>.id }), or set renewalStatus: "AutoRenewal" on the instance.',
  validateStack: (args, reportViolation) => {
    for (const instance of instancesOf(args.resources)) {
      // An unknown charge type or status (computed elsewhere) is not judged; the bridged default charge type is PostPaid.
      if (instance.chargeType !== "PrePaid") continue;
      if (instance.renewals.length > 0 || instance.renewalStatus === "AutoRenewal" || instance.renewalStatus === UNKNOWN) continue;
      reportViolation(
        `${shown(instance.resource)} is a subscription (PrePaid) instance with no renewal plan: it stops when its paid period ends and is released 15 days later. ` +
          `Declare an InstanceRenewal for it (new InstanceRenewal("${instance.resource.name}-renewal", { instanceId: <instance>.id })), or set renewalStatus: "AutoRenewal" on the instance.`,
        instance.resource.urn,
      );
    }
  },
};
