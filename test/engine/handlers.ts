// Custom resources that are not dynamic have no provider plugin here; a handler, registered by type token,
// plays that provider's part. A type without a handler is kept as declared: its inputs become its outputs
// and it gets a generated id, so programs that mix in other providers still run.
import type { Props } from "./values";

export interface HandlerContext {
  urn: string;
  /** The stack's config, keyed `namespace:key`. */
  config: Record<string, string>;
  env: NodeJS.ProcessEnv;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface ResourceHandler {
  /** The provider's Check: defaults filled in, failures named. Without it the inputs are taken as declared. */
  check?(olds: Props, news: Props, ctx: HandlerContext): Promise<{ inputs: Props; failures?: CheckFailure[] }>;
  create(inputs: Props, ctx: HandlerContext): Promise<{ id: string; outputs: Props }>;
  /** Without it a change of inputs replaces nothing and is stored as the new outputs. */
  update?(id: string, olds: Props, news: Props, ctx: HandlerContext): Promise<Props>;
  delete?(id: string, outputs: Props, ctx: HandlerContext): Promise<void>;
  /**
   * Current outputs (and, as providers may, the inputs they imply), or undefined when the resource is gone.
   * Without it refresh sees no drift.
   */
  read?(id: string, outputs: Props, ctx: HandlerContext): Promise<{ outputs: Props; inputs?: Props } | undefined>;
  /**
   * Without it any change of inputs is an update, as Pulumi's own diff of old and new inputs decides. `diffs`
   * names the changed keys, as a provider may report them; the engine then shows only those.
   */
  diff?(id: string, olds: Props, news: Props, ctx: HandlerContext): Promise<{ changes: boolean; diffs?: string[]; replaces?: string[]; deleteBeforeReplace?: boolean }>;
}

const REGISTRY = Symbol.for("pulumi-alicloud-renewal.engine.handlers");
// Shared by every copy of this module in the process (a test runner may load it more than once).
const handlers: Map<string, ResourceHandler> = ((globalThis as Record<symbol, unknown>)[REGISTRY] ??= new Map()) as Map<string, ResourceHandler>;

/** Teaches the engine a non-dynamic resource type, e.g. `alicloud:ecs/instance:Instance`. */
export function registerResourceHandler(type: string, handler: ResourceHandler): void {
  handlers.set(type, handler);
}

export function unregisterResourceHandler(type: string): void {
  handlers.delete(type);
}

let sequence = 0;

/** For a type nobody taught the engine: keep what was declared. */
const keepAsDeclared: ResourceHandler = {
  async create(inputs, ctx) {
    const name = ctx.urn.split("::").pop();
    return { id: `${name}-${Date.now().toString(36)}${(++sequence).toString(36)}`, outputs: inputs };
  },
};

export function handlerFor(type: string): ResourceHandler {
  return handlers.get(type) ?? keepAsDeclared;
}
