// The provider side of each step, one shape for both kinds of custom resource: dynamic resources go to the
// one real dynamic-provider host of the run; other types go to their registered handler. Pulumi's own
// fallbacks live here too (a provider that cannot diff gets the engine's diff of old and new inputs).
import { handlerFor, type HandlerContext } from "./handlers";
import type { CheckFailure, ProviderHost } from "./host";
import { deepEqual, type Props } from "./values";

export interface DiffDecision {
  changes: boolean;
  /** Changed keys as the provider reported them; none when it reported none. */
  diffs: string[];
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface StepProvider {
  check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }>;
  diff(urn: string, id: string, old: { inputs: Props; outputs: Props }, news: Props): Promise<DiffDecision>;
  create(urn: string, inputs: Props): Promise<{ id: string; outputs: Props }>;
  /** Undefined when the resource no longer exists. */
  read(urn: string, id: string, props: Props, inputs: Props): Promise<{ id: string; outputs: Props; inputs?: Props } | undefined>;
  update(urn: string, id: string, old: { inputs: Props; outputs: Props }, news: Props): Promise<Props>;
  delete(urn: string, id: string, outputs: Props): Promise<void>;
}

export const isDynamic = (type: string) => type.startsWith("pulumi-nodejs:dynamic");

/** Pulumi's diff when the provider gives none: any difference of the inputs (`__provider` included) is a change. */
const inputsDiff = (olds: Props, news: Props): DiffDecision => ({ changes: !deepEqual(olds, news), diffs: [], replaces: [], deleteBeforeReplace: false });

export function dynamicProvider(host: () => Promise<ProviderHost>): StepProvider {
  return {
    check: async (urn, olds, news) => (await host()).check(urn, olds, news),
    async diff(urn, id, old, news) {
      const answer = await (await host()).diff(id, urn, old.outputs, news);
      if (answer.changes === "unknown") return inputsDiff(old.inputs, news);
      return { changes: answer.changes === "some", diffs: answer.diffs, replaces: answer.replaces, deleteBeforeReplace: answer.deleteBeforeReplace };
    },
    async create(urn, inputs) {
      const { id, properties } = await (await host()).create(urn, inputs);
      return { id, outputs: properties };
    },
    async read(urn, id, props, inputs) {
      const answer = await (await host()).read(id, urn, props, inputs);
      return answer.id ? { id: answer.id, outputs: answer.properties, ...(answer.inputs ? { inputs: answer.inputs } : {}) } : undefined;
    },
    update: async (urn, id, old, news) => (await (await host()).update(id, urn, old.outputs, news)).properties,
    delete: async (urn, id, outputs) => (await host()).delete(id, urn, outputs),
  };
}

export function handlerProvider(type: string, context: (urn: string) => HandlerContext): StepProvider {
  const handler = handlerFor(type);
  return {
    async check(urn, olds, news) {
      if (!handler.check) return { inputs: news, failures: [] };
      const answer = await handler.check(olds, news, context(urn));
      return { inputs: answer.inputs, failures: answer.failures ?? [] };
    },
    async diff(urn, id, old, news) {
      if (!handler.diff) return inputsDiff(old.inputs, news);
      const answer = await handler.diff(id, old.outputs, news, context(urn));
      return { changes: answer.changes, diffs: answer.diffs ?? [], replaces: answer.replaces ?? [], deleteBeforeReplace: answer.deleteBeforeReplace ?? false };
    },
    create: (urn, inputs) => handler.create(inputs, context(urn)),
    async read(urn, id, props) {
      if (!handler.read) return { id, outputs: props };
      const found = await handler.read(id, props, context(urn));
      return found ? { id, outputs: found.outputs, ...(found.inputs ? { inputs: found.inputs } : {}) } : undefined;
    },
    update: async (urn, id, old, news) => (handler.update ? handler.update(id, old.outputs, news, context(urn)) : { ...old.outputs, ...news }),
    delete: async (urn, id, outputs) => handler.delete?.(id, outputs, context(urn)),
  };
}
