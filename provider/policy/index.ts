// `pulumi-alicloud-renewal/policy`: the renewal policies, for a policy pack of your own. Importing this module
// starts nothing; the pack this package ships (`--policy-pack node_modules/pulumi-alicloud-renewal/policy`)
// is pack.ts.

import type { Policies } from "@pulumi/policy";
import { hasRenewalPlan } from "./has-renewal-plan";
import { maxPrice } from "./max-price";
import { oneOwner } from "./one-owner";
import { taggedNotRenewal } from "./tagged-not-renewal";

export const POLICY_PACK_NAME = "alicloud-renewal";

/** The four renewal policies, each advisory unless the pack's config says otherwise. */
export const renewalPolicies: Policies = [hasRenewalPlan, oneOwner, maxPrice, taggedNotRenewal];

export { HAS_RENEWAL_PLAN, hasRenewalPlan } from "./has-renewal-plan";
export { MAX_PRICE, maxPrice } from "./max-price";
export { ONE_OWNER, oneOwner } from "./one-owner";
export { TAGGED_NOT_RENEWAL, taggedNotRenewal, type TaggedNotRenewalConfig } from "./tagged-not-renewal";
export { DEFAULT_TAG_PATTERN } from "./tag-pattern";
export { INSTANCE, INSTANCE_RENEWAL, MANUAL_RENEWAL, RENEWAL_ORDER } from "./resources";
