// What the policies know about the resources they judge: the type tokens, how a reviewer names a resource,
// and how to read a property that may not be known yet.
//
// @pulumi/policy hands policies their properties behind a proxy that throws UnknownValueError when a value
// is unknown during preview (an instance's id before it exists, say). A policy that lets that escape is
// reported as "can't run during preview" and judges nothing, so every read here turns it into UNKNOWN.

import { UnknownValueError } from "@pulumi/policy";

/** The bridged `@pulumi/alicloud` ECS instance. */
export const INSTANCE = "alicloud:ecs/instance:Instance";
/** This package's resources, as the engine registers them. */
export const INSTANCE_RENEWAL = "pulumi-nodejs:dynamic/alicloud-renewal:InstanceRenewal";
export const MANUAL_RENEWAL = "alicloud-renewal:index:ManualRenewal";
/** ManualRenewal's child that places the order; it carries the component's arguments (a component's own are not sent to the engine). */
export const RENEWAL_ORDER = "pulumi-nodejs:dynamic/alicloud-renewal:RenewalOrder";

/** The renewal attributes `alicloud.ecs.Instance` manages itself (renewal_status, auto_renew_period in Terraform). */

export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Maybe<T> = T | typeof UNKNOWN | undefined;

/** `props[key]`, or UNKNOWN when preview cannot know it yet. */
export function read(props: Record<string, unknown>, key: string): unknown {
  try {
    const value = props[key];
    return value === null ? undefined : value;
  } catch (error) {
    if (error instanceof UnknownValueError) return UNKNOWN;
    throw error;
  }
}

/** A string property: the string, UNKNOWN, or undefined when absent (or not a string). */
export function readString(props: Record<string, unknown>, key: string): Maybe<string> {
  const value = read(props, key);
  return value === UNKNOWN || typeof value === "string" ? value : undefined;
}

/** A number property: the number, UNKNOWN, or undefined when absent (or not a number). */
export function readNumber(props: Record<string, unknown>, key: string): Maybe<number> {
  const value = read(props, key);
  return value === UNKNOWN || typeof value === "number" ? value : undefined;
}

/** The instance's tags as far as they are known (an unknown value is left out). */
export function readTags(props: Record<string, unknown>): Record<string, string> {
  const tags = read(props, "tags");
  if (tags === UNKNOWN || !tags || typeof tags !== "object") return {};
  const known: Record<string, string> = {};
  for (const key of Object.keys(tags)) {
    const value = read(tags as Record<string, unknown>, key);
    if (typeof value === "string") known[key] = value;
  }
  return known;
}

/** The last part of a URN: the name the program gave the resource. */
export const nameOfUrn = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** The type part of a URN (after the parent types). */
export const typeOfUrn = (urn: string): string => urn.split("::")[2]?.split("$").pop() ?? "";

const SHOWN_TYPES: Record<string, string> = {
  [INSTANCE]: "alicloud.ecs.Instance",
  [INSTANCE_RENEWAL]: "InstanceRenewal",
  [MANUAL_RENEWAL]: "ManualRenewal",
  [RENEWAL_ORDER]: "RenewalOrder",
};

/** A resource as a reviewer finds it in the program: `alicloud.ecs.Instance "web"`. */
export const shown = (resource: { type: string; name: string }): string => `${SHOWN_TYPES[resource.type] ?? resource.type} "${resource.name}"`;
