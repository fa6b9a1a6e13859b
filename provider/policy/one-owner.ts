// Rule 2: the renewal settings of an instance have one owner. `alicloud.ecs.Instance` manages renewalStatus
// (default "Normal") and autoRenewPeriod (default 1) itself and reads both back on refresh; declared next to
// an InstanceRenewal, the instance sees the renewal's AutoRenewal after a refresh and sets its own value
// back; the next refresh shows the renewal that drift and it puts AutoRenewal back: the setting flips on
// every `pulumi up --refresh`. The instance must ignore renewalStatus. It must not ignore autoRenewPeriod:
// a refresh while auto-renew is off reads Duration 0 into the instance's inputs, an ignored attribute keeps
// that 0, and the bridged provider's check rejects it (one of 1, 2, 3, 6, 12) on every later `pulumi up`.
// Managed, autoRenewPeriod is written only while auto-renew is on, so it fights only when it differs from
// the renewal's months.

import type { StackValidationPolicy } from "@pulumi/policy";
import { shown } from "./resources";
import { instancesOf, type InstanceView, type RenewalView } from "./stack";

export const ONE_OWNER = "renewal-settings-have-one-owner";

const IGNORE_CHANGES = 'ignoreChanges: ["renewalStatus"]';

/** What is wrong with how `instance` shares its renewal settings with `renewal`, one sentence each. */
function conflicts(instance: InstanceView, renewal: RenewalView): string[] {
  const found: string[] = [];
  const months = typeof renewal.months === "number" ? renewal.months : undefined;
  const setPeriod = months === undefined ? "set it to the renewal's duration in months" : `set autoRenewPeriod: ${months}`;
  if (!instance.ignores("renewalStatus")) {
    const own = typeof instance.renewalStatus === "string" ? ` ("${instance.renewalStatus}")` : "";
    found.push(
      `${shown(instance.resource)} still manages renewalStatus, which ${shown(renewal.resource)} manages too: after a refresh the instance wants its own renewalStatus${own} back, ` +
        `and every \`pulumi up --refresh\` sets auto-renew back and forth. Add ${IGNORE_CHANGES} to the instance's resource options.`,
    );
  }
  if (instance.ignores("autoRenewPeriod")) {
    found.push(
      `${shown(instance.resource)} ignores autoRenewPeriod: once a refresh reads auto-renew off (Duration 0), the instance keeps that 0 and its check fails on every later \`pulumi up\` ` +
        `(expected auto_renew_period to be one of [1 2 3 6 12]). Ignore renewalStatus only, and ${setPeriod} on the instance.`,
    );
  } else if (renewal.renewalStatus === "AutoRenewal" && months !== undefined && typeof instance.autoRenewPeriod === "number" && instance.autoRenewPeriod !== months) {
    found.push(
      `${shown(instance.resource)} has autoRenewPeriod ${instance.autoRenewPeriod} (1 unless set) while ${shown(renewal.resource)} renews by ${months} months: after a refresh the instance sets its own period back, ` +
        `and every \`pulumi up --refresh\` changes the auto-renew period back and forth. Set autoRenewPeriod: ${months} on the instance.`,
    );
  }
  return found;
}

export const oneOwner: StackValidationPolicy = {
  name: ONE_OWNER,
  description:
    `An alicloud.ecs.Instance that has an InstanceRenewal leaves renewalStatus to it (${IGNORE_CHANGES} on the instance) and keeps autoRenewPeriod at the renewal's months, ` +
    "so the two do not set the auto-renew settings back and forth.",
  enforcementLevel: "advisory",
  severity: "medium",
  remediationSteps: `Add ${IGNORE_CHANGES} to the instance's resource options, set its autoRenewPeriod to the renewal's duration in months, and keep one InstanceRenewal per instance.`,
  validateStack: (args, reportViolation) => {
    for (const instance of instancesOf(args.resources)) {
      const [first, ...others] = instance.renewals;
      if (!first) continue;
      for (const message of conflicts(instance, first)) reportViolation(message, instance.resource.urn);
      for (const other of others) {
        reportViolation(
          `${shown(other.resource)} and ${shown(first.resource)} both manage the renewal settings of ${shown(instance.resource)}: each update undoes the other's. Keep one InstanceRenewal per instance.`,
          other.resource.urn,
        );
      }
    }
  },
};
