// Crafted resources for the policy unit tests, handed to a policy the way @pulumi/policy's analyzer server
// hands them: properties behind its unknown-checking proxy (so a value unknown during preview throws when
// read, as in a real preview), options with ignoreChanges and parent, property dependencies resolved to the
// resources of the stack, and getConfig returning the policy's config without the enforcement level.
import {
  unknownCheckingProxy,
  type PolicyResource,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { UNKNOWN } from "../../provider/unknowns";

/** The sentinel a preview sends for a value not known yet (an instance id before the instance exists). */
export const UNKNOWN_VALUE = UNKNOWN;

export interface Crafted {
  type: string;
  name: string;
  props?: Record<string, unknown>;
  ignoreChanges?: string[];
  /** The parent's URN. */
  parent?: string;
  /** Property → names of the crafted resources it was computed from (`instanceId: web.id` → { instanceId: ["web"] }). */
  dependsOn?: Record<string, string[]>;
}

export const urnOf = (type: string, name: string, parentType?: string) => `urn:pulumi:dev::shop::${parentType ? `${parentType}$` : ""}${type}::${name}`;

export interface Violation {
  message: string;
  urn?: string;
}

const options = (c: Crafted) => ({
  protect: false,
  ignoreChanges: c.ignoreChanges ?? [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
  ...(c.parent ? { parent: c.parent } : {}),
});

const notApplicable = (reason?: string): never => {
  throw new Error(`not applicable: ${reason}`);
};

export async function runStackPolicy(policy: StackValidationPolicy, crafted: Crafted[], config: Record<string, unknown> = {}): Promise<Violation[]> {
  const resources: PolicyResource[] = crafted.map((c) => {
    const props = unknownCheckingProxy(c.props ?? {});
    return {
      type: c.type,
      name: c.name,
      urn: urnOf(c.type, c.name),
      props,
      opts: options(c),
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    };
  });
  const byName = new Map(resources.map((r) => [r.name, r]));
  crafted.forEach((c, i) => {
    for (const [key, names] of Object.entries(c.dependsOn ?? {})) {
      resources[i].propertyDependencies[key] = names.map((n) => byName.get(n)!);
      resources[i].dependencies.push(...names.map((n) => byName.get(n)!));
    }
  });
  const violations: Violation[] = [];
  await policy.validateStack({ resources, stackTags: new Map(), getConfig: <T extends object>() => config as T, notApplicable }, (message, urn) =>
    violations.push({ message, ...(urn ? { urn } : {}) }),
  );
  return violations;
}

export async function runResourcePolicy(policy: ResourceValidationPolicy, c: Crafted, config: Record<string, unknown> = {}): Promise<string[]> {
  const messages: string[] = [];
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
  for (const validate of validations) {
    await validate(
      {
        type: c.type,
        name: c.name,
        urn: urnOf(c.type, c.name),
        props: unknownCheckingProxy(c.props ?? {}),
        opts: options(c),
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable,
      },
      (message) => messages.push(message),
    );
  }
  return messages;
}
