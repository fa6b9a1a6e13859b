// Rule 2: the renewal settings of an instance have one owner. `alicloud.ecs.Instance` manages renewalStatus
// (default "Normal") and autoRenewPeriod (default 1) itself and reads both back on refresh; declared next to
// an InstanceRenewal, the instance sees the renewal's AutoRenewal after a refresh and sets its own value
// back; the next refresh shows the renewal that drift and it puts AutoRenewal back: the settings change on
// every `pulumi up --refresh`, auto-renew off after every other run.

import type { StackValidationPolicy } from "@pulumi/policy";
import { INSTANCE_RENEWAL_ATTRIBUTES, shown } from "./resources";
import { instancesOf } from "./stack";

export const ONE_OWNER = "renewal-settings-have-one-owner";

const IGNORE_CHANGES = `ignoreChanges: [${INSTANCE_RENEWAL_ATTRIBUTES.map((a) => `"${a}"`).join(", ")}]`;
const and = (items: string[]) => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`);

export const oneOwner: StackValidationPolicy = {
  name: ONE_OWNER,
  description: `An alicloud.ecs.Instance that has an InstanceRenewal leaves its renewal attributes to it (${IGNORE_CHANGES} on the instance), so the two do not set them back and forth.`,
  enforcementLevel: "advisory",
  severity: "medium",
  remediationSteps: `Add ${IGNORE_CHANGES} to the instance's resource options, and keep one InstanceRenewal per instance.`,
  validateStack: (args, reportViolation) => {
    for (const instance of instancesOf(args.resources)) {
      const [first, ...others] = instance.renewals;
      if (!first) continue;
      const managed = INSTANCE_RENEWAL_ATTRIBUTES.filter((a) => !instance.ignores(a));
      if (managed.length > 0) {
        const own = typeof instance.renewalStatus === "string" ? ` ("${instance.renewalStatus}")` : "";
        reportViolation(
          `${shown(instance.resource)} still manages ${and(managed)}, which ${shown(first.resource)} manages too: after a refresh the instance wants its own renewalStatus${own} back, ` +
            `and every \`pulumi up --refresh\` sets the auto-renew settings back and forth. Add ${IGNORE_CHANGES} to the instance's resource options.`,
          instance.resource.urn,
        );
      }
      for (const other of others) {
        reportViolation(
          `${shown(other.resource)} and ${shown(first.resource)} both manage the renewal settings of ${shown(instance.resource)}: each update undoes the other's. Keep one InstanceRenewal per instance.`,
          other.resource.urn,
        );
      }
    }
  },
};
