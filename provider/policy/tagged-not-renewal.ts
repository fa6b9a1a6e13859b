// Rule 4: an instance whose tags say it matters (default `env=prod`) is not set to NotRenewal, the setting
// that lets an instance expire without reminders and be released 15 days later. Both ways of setting it
// are judged: the instance's own renewalStatus, and an InstanceRenewal for it (its renewalStatus, or an
// onDelete that sets NotRenewal when the renewal is deleted). Only tags declared in the stack are seen.

import type { StackValidationPolicy } from "@pulumi/policy";
import { shown } from "./resources";
import { instancesOf } from "./stack";
import { DEFAULT_TAG_PATTERN, TAG_PATTERN_SYNTAX, tagMatcher } from "./tag-pattern";

export const TAGGED_NOT_RENEWAL = "no-not-renewal-on-tagged-instances";

export interface TaggedNotRenewalConfig {
  tagPattern?: string;
}

const LAPSE = "if the instance is meant to lapse, change its tags first";

export const taggedNotRenewal: StackValidationPolicy = {
  name: TAGGED_NOT_RENEWAL,
  description: `An alicloud.ecs.Instance whose tags match the configured pattern (default ${DEFAULT_TAG_PATTERN}) is not set to NotRenewal, by itself or by an InstanceRenewal.`,
  enforcementLevel: "advisory",
  severity: "critical",
  remediationSteps: `Use renewalStatus "AutoRenewal", or "Normal" to renew by hand; ${LAPSE}.`,
  configSchema: {
    properties: {
      tagPattern: {
        type: "string",
        default: DEFAULT_TAG_PATTERN,
        pattern: TAG_PATTERN_SYNTAX,
        description: "Tags that mark an instance that must not lapse: key=value, * as a wildcard, several separated by commas.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const matcher = tagMatcher(args.getConfig<TaggedNotRenewalConfig>().tagPattern ?? DEFAULT_TAG_PATTERN);
    for (const instance of instancesOf(args.resources)) {
      const tag = matcher.match(instance.tags);
      if (!tag) continue;
      const what = `${shown(instance.resource)} (tagged ${tag})`;
      if (instance.renewalStatus === "NotRenewal") {
        reportViolation(
          `${what} has renewalStatus "NotRenewal": it will expire without renewal and be released 15 days later. Set the instance's renewalStatus to "AutoRenewal" (or "Normal" to renew by hand), or declare an InstanceRenewal for it; ${LAPSE}.`,
          instance.resource.urn,
        );
      }
      for (const renewal of instance.renewals) {
        if (renewal.renewalStatus === "NotRenewal") {
          reportViolation(
            `${shown(renewal.resource)} sets ${what} to "NotRenewal": it will expire without renewal and be released 15 days later. Set the renewal's renewalStatus to "AutoRenewal" (the default) or "Normal" (renew by hand); ${LAPSE}.`,
            renewal.resource.urn,
          );
        }
        if (renewal.onDelete === "NotRenewal") {
          reportViolation(
            `${shown(renewal.resource)} has onDelete: "NotRenewal": deleting it (or destroying the stack) leaves ${what} set to expire without renewal. Use onDelete: "restore" (the default) or "Normal".`,
            renewal.resource.urn,
          );
        }
      }
    }
  },
};
