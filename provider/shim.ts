// The provider stored in state (`__provider`) with every resource.
//
// The Pulumi SDK would serialize a provider object with its closure serializer, wrapping every method in
// ~200 bytes of scaffolding (2.3 KB for seven methods) and inlining whatever the methods capture. We store
// this hand-written CommonJS module instead: the host evaluates it and calls `handler()`, exactly as it
// does with the SDK's output. Each method loads the implementation by package name when the host calls
// it, so the text names only the package and the resource kind: no SDK, schema, path, config value or
// secret, and state written today keeps working after the package is upgraded.

import type * as pulumi from "@pulumi/pulumi";

/** The module text stored in state. Its shape is a contract with every state file ever written. */
export function shimSource(kind: string): string {
  const k = JSON.stringify(kind);
  return `exports.handler = () => {
  const load = () => require("pulumi-alicloud-renewal/runtime");
  return {
    configure: async (req) => load().configure((key) => req.config.get(key)),
    check: (olds, news) => load().controller(${k}).check(olds, news),
    diff: (id, olds, news) => load().controller(${k}).diff(id, olds, news),
    create: (inputs) => load().controller(${k}).create(inputs),
    read: (id, props) => load().controller(${k}).read(id, props),
    update: (id, olds, news) => load().controller(${k}).update(id, olds, news),
    delete: (id, props) => load().controller(${k}).delete(id, props),
  };
};
`;
}

/** The provider object the shim text builds, for code that runs it in memory (tests, `dynamic.Resource`). */
export function shimProvider(kind: string): pulumi.dynamic.ResourceProvider {
  const module = { exports: {} as { handler: () => pulumi.dynamic.ResourceProvider } };
  new Function("exports", "require", shimSource(kind))(module.exports, require);
  return module.exports.handler();
}

/**
 * Resource options that make a dynamic resource store `shimSource(kind)` as its `__provider`. A
 * transformation is the SDK's public hook that runs after `dynamic.Resource` sets `__provider` and
 * before the resource is registered.
 */
export function withShim<T extends pulumi.CustomResourceOptions>(opts: T | undefined, type: string, kind: string): T {
  const source = shimSource(kind);
  const useShim: pulumi.ResourceTransformation = (args) =>
    args.type === type && "__provider" in args.props ? { props: { ...args.props, __provider: source }, opts: args.opts } : undefined;
  return { ...(opts ?? {}), transformations: [useShim, ...(opts?.transformations ?? [])] } as T;
}
