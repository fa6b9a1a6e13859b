// The stack as the cross-resource policies see it: each `alicloud.ecs.Instance` with the InstanceRenewals
// that manage it.
//
// An InstanceRenewal belongs to an instance of the stack when its `instanceId` is taken from that instance
// (`instanceId: web.id`: the engine records the instance among the property's dependencies, which is all
// there is during the instance's first preview, its id not being known yet), or when its `instanceId` is
// the instance's id as a literal.

import type { PolicyResource } from "@pulumi/policy";
import { INSTANCE, INSTANCE_RENEWAL, read, readNumber, readString, readTags, UNKNOWN, type Maybe } from "./resources";

export interface RenewalView {
  resource: PolicyResource;
  /** AutoRenewal, Normal or NotRenewal (InstanceRenewal's default is AutoRenewal). */
  renewalStatus: Maybe<string>;
  onDelete: Maybe<string>;
  /** How many months auto-renew renews by, as the instance's autoRenewPeriod reads it back; undefined for Week. */
  months: Maybe<number>;
}

export interface InstanceView {
  resource: PolicyResource;
  chargeType: Maybe<string>;
  /** The instance's own setting; the bridged provider fills in "Normal" when the program sets none. */
  renewalStatus: Maybe<string>;
  /** The instance's own period in months; the bridged provider fills in 1 when the program sets none. */
  autoRenewPeriod: Maybe<number>;
  tags: Record<string, string>;
  renewals: RenewalView[];
  /** Whether `ignoreChanges` keeps the instance resource from managing this attribute. */
  ignores(attribute: string): boolean;
}

/** A duration in months: a Year is 12 (what DescribeInstanceAutoRenewAttribute's reading gives the instance). */
function monthsOf(duration: Maybe<number>, unit: Maybe<string>): Maybe<number> {
  if (duration === UNKNOWN || unit === UNKNOWN) return UNKNOWN;
  if (duration === undefined) return undefined;
  return unit === "Year" ? duration * 12 : unit === "Month" ? duration : undefined;
}

function renewalView(resource: PolicyResource): RenewalView {
  return {
    resource,
    renewalStatus: readString(resource.props, "renewalStatus") ?? "AutoRenewal",
    onDelete: readString(resource.props, "onDelete") ?? "restore",
    months: monthsOf(readNumber(resource.props, "duration"), readString(resource.props, "periodUnit") ?? "Month"),
  };
}

function instanceView(resource: PolicyResource): InstanceView {
  const ignoreChanges = resource.opts.ignoreChanges ?? [];
  return {
    resource,
    // The bridged provider's default charge type is PostPaid.
    chargeType: readString(resource.props, "instanceChargeType") ?? "PostPaid",
    renewalStatus: readString(resource.props, "renewalStatus") ?? "Normal",
    autoRenewPeriod: readNumber(resource.props, "autoRenewPeriod") ?? 1,
    tags: readTags(resource.props),
    renewals: [],
    ignores: (attribute) => ignoreChanges.includes(attribute) || ignoreChanges.includes("*"),
  };
}

function managesInstance(renewal: PolicyResource, instance: PolicyResource): boolean {
  if ((renewal.propertyDependencies.instanceId ?? []).some((d) => d.urn === instance.urn)) return true;
  const id = read(renewal.props, "instanceId");
  const instanceId = read(instance.props, "id");
  return typeof id === "string" && id !== "" && id === instanceId;
}

/** Every instance of the stack with its renewals. */
export function instancesOf(resources: PolicyResource[]): InstanceView[] {
  const instances = resources.filter((r) => r.type === INSTANCE).map(instanceView);
  const renewals = resources.filter((r) => r.type === INSTANCE_RENEWAL);
  for (const instance of instances) {
    instance.renewals = renewals.filter((r) => managesInstance(r, instance.resource)).map(renewalView);
  }
  return instances;
}
