// The stack as the cross-resource policies see it: each `alicloud.ecs.Instance` with the InstanceRenewals
// that manage it.
//
// An InstanceRenewal belongs to an instance of the stack when its `instanceId` is taken from that instance
// (`instanceId: web.id`: the engine records the instance among the property's dependencies, which is all
// there is during the instance's first preview, its id not being known yet), or when its `instanceId` is
// the instance's id as a literal.

import type { PolicyResource } from "@pulumi/policy";
import { INSTANCE, INSTANCE_RENEWAL, read, readString, readTags, type Maybe } from "./resources";

export interface RenewalView {
  resource: PolicyResource;
  /** AutoRenewal, Normal or NotRenewal (InstanceRenewal's default is AutoRenewal). */
  renewalStatus: Maybe<string>;
  onDelete: Maybe<string>;
}

export interface InstanceView {
  resource: PolicyResource;
  chargeType: Maybe<string>;
  /** The instance's own setting; the bridged provider fills in "Normal" when the program sets none. */
  renewalStatus: Maybe<string>;
  tags: Record<string, string>;
  renewals: RenewalView[];
  /** Whether `ignoreChanges` keeps the instance resource from managing this attribute. */
  ignores(attribute: string): boolean;
}

function renewalView(resource: PolicyResource): RenewalView {
  return {
    resource,
    renewalStatus: readString(resource.props, "renewalStatus") ?? "AutoRenewal",
    onDelete: readString(resource.props, "onDelete") ?? "restore",
  };
}

function instanceView(resource: PolicyResource): InstanceView {
  const ignoreChanges = resource.opts.ignoreChanges ?? [];
  return {
    resource,
    // The bridged provider's default charge type is PostPaid.
    chargeType: readString(resource.props, "instanceChargeType") ?? "PostPaid",
    renewalStatus: readString(resource.props, "renewalStatus") ?? "Normal",
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
