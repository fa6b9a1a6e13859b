// The local engine: runs a Pulumi program under pulumi.runtime.setMocks and turns each registration
// into the steps the Pulumi engine would take. Dynamic resources go to one real dynamic-provider host
// (Check one at a time in registration order; Diff, Create, Update, Read and Delete concurrently);
// other custom resources go to registered handlers. Knows nothing about renewals.
/* eslint-disable @typescript-eslint/no-explicit-any */
import path from "node:path";
import { changedKeys, render, summarize, type EngineOperation, type Step, type StepOp } from "./display";
import { HostError, startProviderHost, UNKNOWN, type ProviderHost } from "./host";
import { loadProject, type Project } from "./project";
import { CheckpointWriter, readCheckpoint, type Checkpoint, type ResourceState } from "./state";

export interface ResourceHandler {
  create(inputs: Record<string, any>, ctx: HandlerContext): Promise<{ id: string; outputs: Record<string, any> }>;
  update?(id: string, olds: Record<string, any>, news: Record<string, any>, ctx: HandlerContext): Promise<Record<string, any>>;
  delete?(id: string, outputs: Record<string, any>, ctx: HandlerContext): Promise<void>;
  read?(id: string, outputs: Record<string, any>, ctx: HandlerContext): Promise<Record<string, any> | undefined>;
}

export interface HandlerContext {
  config: Record<string, string>;
  env: NodeJS.ProcessEnv;
  preview: boolean;
}

const handlers = new Map<string, ResourceHandler>();

/** Teaches the engine a non-dynamic resource type (e.g. alicloud:ecs/instance:Instance). */
export function registerResourceHandler(type: string, handler: ResourceHandler): void {
  handlers.set(type, handler);
}

export interface EngineOptions {
  cwd: string;
  stack: string;
  stateFile?: string;
  config?: Record<string, string>;
  parallel?: number;
  env?: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
}

export interface EngineResult {
  operation: EngineOperation;
  ok: boolean;
  error?: string;
  steps: Step[];
  summary: Record<StepOp, number>;
  diagnostics: string[];
  outputs?: Record<string, unknown>;
  text: string;
  stateFile: string;
  state: Checkpoint;
}

const isDynamic = (type: string) => type.startsWith("pulumi-nodejs:dynamic");
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Removes secret wrappers (the host does not accept secrets) and keeps unknowns as the sentinel. */
function plainValue(v: any): any {
  if (Array.isArray(v)) return v.map(plainValue);
  if (v && typeof v === "object") {
    if (v[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270") return plainValue(v.value);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainValue(x)]));
  }
  return v;
}

const withoutUndefined = (o: Record<string, any>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A counting gate for --parallel; unbounded when limit <= 0. */
function gate(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (limit > 0 && active >= limit) await new Promise<void>((r) => waiting.push(r));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

export function defaultStateFile(cwd: string, stack: string): string {
  return path.join(cwd, ".engine-state", `${stack}.json`);
}

export async function execute(operation: EngineOperation, options: EngineOptions): Promise<EngineResult> {
  const project = loadProject(options.cwd, options.stack, options.config);
  const stateFile = options.stateFile ?? defaultStateFile(options.cwd, options.stack);
  const previous = readCheckpoint(stateFile, project.name, options.stack);
  const env = options.env ?? process.env;
  const run = new Run(operation, project, previous, new CheckpointWriter(stateFile), env, options.parallel ?? 0, options.onLine);
  let error: string | undefined;
  try {
    if (operation === "preview" || operation === "up") await run.program();
    else if (operation === "refresh") await run.refresh();
    else await run.destroy();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    await run.close();
  }
  error ??= run.firstError();
  const state = run.checkpoint();
  return {
    operation,
    ok: !error,
    ...(error ? { error } : {}),
    steps: run.steps,
    summary: summarize(run.steps),
    diagnostics: run.diagnostics,
    outputs: run.outputs,
    text: render(operation, options.stack, run.steps, run.diagnostics, run.outputs, error),
    stateFile,
    state,
  };
}

class Run {
  readonly steps: Step[] = [];
  readonly diagnostics: string[] = [];
  outputs?: Record<string, unknown>;
  private host?: Promise<ProviderHost>;
  private readonly resources = new Map<string, ResourceState>();
  private readonly registered = new Set<string>();
  private readonly pendingDeletes: ResourceState[] = [];
  private checkChain: Promise<unknown> = Promise.resolve();
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  private readonly errors: string[] = [];

  constructor(
    private readonly operation: EngineOperation,
    private readonly project: Project,
    private readonly previous: Checkpoint,
    private readonly writer: CheckpointWriter,
    private readonly env: NodeJS.ProcessEnv,
    parallel: number,
    private readonly onLine?: (line: string) => void,
  ) {
    for (const r of previous.resources) this.resources.set(r.urn, r);
    this.limit = gate(parallel);
  }

  private get preview(): boolean {
    return this.operation === "preview";
  }

  firstError(): string | undefined {
    return this.errors[0];
  }

  checkpoint(): Checkpoint {
    return { version: 1, project: this.project.name, stack: this.previous.stack, resources: [...this.resources.values()], ...(this.outputs ? { outputs: this.outputs } : {}) };
  }

  private async persist(): Promise<void> {
    // The checkpoint is built when the write happens, so concurrent steps share one write.
    if (!this.preview) await this.writer.save(() => this.checkpoint());
  }

  private providerHost(): Promise<ProviderHost> {
    this.host ??= startProviderHost({
      cwd: this.project.dir,
      env: this.env,
      onOutput: (_stream, line) => {
        this.diagnostics.push(line);
        this.onLine?.(line);
      },
    }).then(async (h) => {
      await h.configure(this.project.config);
      return h;
    });
    return this.host;
  }

  async close(): Promise<void> {
    if (this.host) await (await this.host.catch(() => undefined))?.kill();
  }

  private fail(step: Step, error: unknown): never {
    step.error = error instanceof Error ? error.message : String(error);
    this.errors.push(`${step.type} ${step.name}: ${step.error}`);
    throw error;
  }

  // ---- preview / up: run the program ----

  async program(): Promise<void> {
    const resolveFrom = (m: string) => require.resolve(m, { paths: [this.project.dir] });
    const pulumi = require(resolveFrom("@pulumi/pulumi"));
    const settings = require(resolveFrom("@pulumi/pulumi/runtime/settings"));
    const { MockMonitor } = require(resolveFrom("@pulumi/pulumi/runtime/mocks"));
    const structproto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [path.dirname(resolveFrom("@pulumi/pulumi/package.json"))] }));
    const resproto = require(resolveFrom("@pulumi/pulumi/proto/resource_pb"));

    // The monitor class needs this run; a bound reference keeps `this` unambiguous inside it.
    const run: Run = this as Run;
    class EngineMonitor extends MockMonitor {
      async registerResource(req: any, callback: (err: any, res?: any) => void) {
        try {
          const urn = this.newUrn(req.getParent(), req.getType(), req.getName());
          const { id, outputs } = await run.register({
            urn,
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            parent: req.getParent() || undefined,
            dependencies: req.getDependenciesList(),
            inputs: plainValue(req.getObject()?.toJavaScript() ?? {}),
            protect: req.getProtect() ?? undefined,
            retainOnDelete: req.getRetainondelete() ?? undefined,
            deleteBeforeReplace: req.getDeletebeforereplace(),
            importId: req.getImportid() || undefined,
          });
          this.resources.set(urn, { urn, id: id ?? null, state: outputs });
          const response = new resproto.RegisterResourceResponse();
          response.setUrn(urn);
          response.setId(id ?? "");
          response.setObject(structproto.Struct.fromJavaScript(withoutUndefined(outputs)));
          callback(null, response);
        } catch (err) {
          callback(err);
        }
      }
      registerResourceOutputs(req: any, callback: (err: any, res?: any) => void) {
        const r = run.resources.get(req.getUrn());
        if (r && !r.custom) {
          r.outputs = plainValue(req.getOutputs()?.toJavaScript() ?? {});
          void run.persist();
        }
        super.registerResourceOutputs(req, callback);
      }
    }
    await pulumi.runtime.setMocks({ newResource: () => ({ id: "", state: {} }), call: () => ({}) }, this.project.name, this.previous.stack, this.preview);
    settings.setMockOptions(new (EngineMonitor as any)({ call: () => ({}) }), this.project.name, this.previous.stack, this.preview);
    pulumi.runtime.setAllConfig(this.project.config, this.project.secretKeys);

    const { register } = require("tsx/cjs/api");
    const unregister = register();
    // The SDK captures a stack trace for every resource it registers; mapping each through source maps
    // cost the engine most of its time on large stacks. Error positions stay in compiled-line terms.
    process.setSourceMapsEnabled(false);
    const swallow = (reason: unknown) => this.errors.push(`program: ${reason instanceof Error ? reason.message : String(reason)}`);
    // A failed registration surfaces in the program as rejections and exceptions, some after the program
    // returns; the step already recorded it, and the engine reports it once, as Pulumi does. The engine
    // process runs one operation, so the handlers stay until it exits.
    process.on("unhandledRejection", swallow);
    process.on("uncaughtException", swallow);
    const cwd = process.cwd();
    try {
      process.chdir(this.project.dir);
      const outputs = await pulumi.runtime.runInPulumiStack(async () => {
        const mod = require(this.project.main);
        const entry = typeof mod === "function" ? mod : typeof mod?.default === "function" && Object.keys(mod).length === 1 ? mod.default : undefined;
        return entry ? await entry() : mod;
      });
      await settings.waitForRPCs();
      this.outputs = outputs ? plainValue(JSON.parse(JSON.stringify(outputs))) : undefined;
    } finally {
      process.chdir(cwd);
      unregister();
    }
    if (this.errors.length) return;
    await this.deleteRemoved();
    await this.persist();
  }

  async register(r: {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    dependencies: string[];
    inputs: Record<string, any>;
    protect?: boolean;
    retainOnDelete?: boolean;
    deleteBeforeReplace?: boolean;
    importId?: string;
  }): Promise<{ id?: string; outputs: Record<string, any> }> {
    this.registered.add(r.urn);
    const old = this.resources.get(r.urn);
    const base = { urn: r.urn, type: r.type, name: r.name, custom: r.custom, parent: r.parent, dependencies: r.dependencies, protect: r.protect, retainOnDelete: r.retainOnDelete };
    if (!r.custom) {
      this.steps.push({ op: old ? "same" : "create", urn: r.urn, type: r.type, name: r.name, diffs: [], replaces: [], new: r.inputs });
      if (!this.preview) {
        this.resources.set(r.urn, { ...base, inputs: r.inputs, outputs: old?.outputs ?? {} });
        await this.persist();
      }
      return { outputs: r.inputs };
    }
    if (isDynamic(r.type)) return this.dynamicStep(r, old, base);
    return this.handlerStep(r, old, base);
  }

  private async dynamicStep(
    r: { urn: string; type: string; name: string; inputs: Record<string, any>; deleteBeforeReplace?: boolean },
    old: ResourceState | undefined,
    base: Omit<ResourceState, "inputs" | "outputs" | "id">,
  ): Promise<{ id?: string; outputs: Record<string, any> }> {
    const host = await this.providerHost();
    const step: Step = { op: "same", urn: r.urn, type: r.type, name: r.name, diffs: [], replaces: [], old: old?.inputs, new: r.inputs };
    this.steps.push(step);
    // Check: one resource at a time, in registration order.
    const checked = (this.checkChain = this.checkChain.then(() => host.check(r.urn, old?.inputs ?? {}, r.inputs)));
    let inputs: Record<string, any>;
    try {
      const result = (await checked) as Awaited<ReturnType<ProviderHost["check"]>>;
      if (result.failures.length) {
        throw new Error(result.failures.map((f) => `${f.property}: ${f.reason.replace(new RegExp(`^${f.property}: `), "")}`).join("; "));
      }
      inputs = result.inputs;
    } catch (e) {
      step.op = old ? "update" : "create";
      this.fail(step, e);
    }
    step.new = inputs;

    if (!old) {
      step.op = "create";
      if (this.preview) return { outputs: inputs };
      return this.limit(() => this.createDynamic(host, step, base, inputs));
    }
    const diff = await this.limit(() => host.diff(old.id ?? "", r.urn, old.outputs, inputs)).catch((e) => this.fail(step, e));
    step.diffs = changedKeys(old.inputs, inputs);
    if (diff.changes !== "some") {
      // Pulumi records the new inputs even when nothing changes.
      if (!this.preview) {
        this.resources.set(r.urn, { ...old, ...base, inputs });
        await this.persist();
      }
      step.diffs = [];
      return { id: old.id, outputs: old.outputs };
    }
    if (diff.replaces.length) {
      step.op = "replace";
      step.replaces = diff.replaces;
      if (this.preview) return { outputs: inputs };
      if (diff.deleteBeforeReplace || r.deleteBeforeReplace) {
        await this.limit(() => host.delete(old.id ?? "", r.urn, old.outputs)).catch((e) => this.fail(step, e));
        this.resources.delete(r.urn);
        await this.persist();
      } else {
        this.pendingDeletes.push(old);
      }
      return this.limit(() => this.createDynamic(host, step, base, inputs));
    }
    step.op = "update";
    if (this.preview) return { id: old.id, outputs: { ...old.outputs, ...inputs } };
    return this.limit(async () => {
      try {
        const { properties } = await host.update(old.id ?? "", r.urn, old.outputs, inputs);
        this.resources.set(r.urn, { ...base, id: old.id, inputs, outputs: properties });
        await this.persist();
        return { id: old.id, outputs: properties };
      } catch (e) {
        if (e instanceof HostError && e.initFailed) {
          this.resources.set(r.urn, { ...base, id: old.id, inputs, outputs: e.initFailed.properties });
          await this.persist();
        }
        this.fail(step, e);
      }
    });
  }

  private async createDynamic(host: ProviderHost, step: Step, base: Omit<ResourceState, "inputs" | "outputs" | "id">, inputs: Record<string, any>) {
    try {
      const { id, properties } = await host.create(step.urn, inputs);
      this.resources.set(step.urn, { ...base, id, inputs, outputs: properties });
      await this.persist();
      return { id, outputs: properties };
    } catch (e) {
      // Created but failed to initialize: keep it, as Pulumi does, so the next run sees it.
      if (e instanceof HostError && e.initFailed) {
        this.resources.set(step.urn, { ...base, id: e.initFailed.id, inputs, outputs: e.initFailed.properties });
        await this.persist();
      }
      this.fail(step, e);
    }
  }

  private async handlerStep(
    r: { urn: string; type: string; name: string; inputs: Record<string, any> },
    old: ResourceState | undefined,
    base: Omit<ResourceState, "inputs" | "outputs" | "id">,
  ): Promise<{ id?: string; outputs: Record<string, any> }> {
    const handler = handlers.get(r.type);
    const ctx: HandlerContext = { config: this.project.config, env: this.env, preview: this.preview };
    const diffs = changedKeys(old?.inputs, r.inputs);
    const step: Step = { op: old ? (diffs.length ? "update" : "same") : "create", urn: r.urn, type: r.type, name: r.name, diffs: old ? diffs : [], replaces: [], old: old?.inputs, new: r.inputs };
    this.steps.push(step);
    if (this.preview) return old ? { id: old.id, outputs: { ...old.outputs, ...r.inputs } } : { outputs: r.inputs };
    if (old && !diffs.length) return { id: old.id, outputs: old.outputs };
    return this.limit(async () => {
      try {
        let id = old?.id;
        let outputs: Record<string, any>;
        if (!old) ({ id, outputs } = handler ? await handler.create(r.inputs, ctx) : { id: `${r.name}-${Date.now().toString(36)}`, outputs: r.inputs });
        else outputs = handler?.update ? await handler.update(old.id ?? "", old.outputs, r.inputs, ctx) : { ...old.outputs, ...r.inputs };
        this.resources.set(r.urn, { ...base, id, inputs: r.inputs, outputs });
        await this.persist();
        return { id, outputs };
      } catch (e) {
        this.fail(step, e);
      }
    });
  }

  /** Resources in state that the program no longer declares, dependents first. */
  private async deleteRemoved(): Promise<void> {
    const gone = [...this.resources.values()].filter((r) => !this.registered.has(r.urn));
    await this.deleteAll([...this.pendingDeletes.map((r) => ({ ...r, replaced: true })), ...gone]);
  }

  private async deleteAll(targets: Array<ResourceState & { replaced?: boolean }>): Promise<void> {
    const remaining = new Set(targets);
    const dependsOn = (a: ResourceState, b: ResourceState) => a.parent === b.urn || a.dependencies.includes(b.urn);
    while (remaining.size) {
      // A resource can go once nothing still remaining depends on it.
      const wave = [...remaining].filter((r) => ![...remaining].some((o) => o !== r && dependsOn(o, r)));
      const batch = wave.length ? wave : [...remaining];
      await Promise.all(
        batch.map(async (r) => {
          remaining.delete(r);
          const step: Step = { op: "delete", urn: r.urn, type: r.type, name: r.name, diffs: [], replaces: [], old: r.inputs };
          if (!r.replaced) this.steps.push(step);
          if (this.preview) return;
          if (r.protect) this.fail(step, new Error(`${r.name} is protected; remove the protect option first`));
          try {
            if (r.custom && !r.retainOnDelete) {
              if (isDynamic(r.type)) {
                const host = await this.providerHost();
                await this.limit(() => host.delete(r.id ?? "", r.urn, r.outputs));
              } else {
                const handler = handlers.get(r.type);
                const ctx: HandlerContext = { config: this.project.config, env: this.env, preview: false };
                if (handler?.delete) await this.limit(() => handler.delete!(r.id ?? "", r.outputs, ctx));
              }
            }
          } catch (e) {
            this.fail(step, e);
          }
          if (!r.replaced || this.resources.get(r.urn) === r) this.resources.delete(r.urn);
          await this.persist();
        }),
      );
    }
  }

  // ---- refresh and destroy: no program ----

  async refresh(): Promise<void> {
    await Promise.all(
      [...this.resources.values()].map(async (r) => {
        const step: Step = { op: "same", urn: r.urn, type: r.type, name: r.name, diffs: [], replaces: [], old: r.outputs };
        this.steps.push(step);
        if (!r.custom) return;
        try {
          let props: Record<string, any> | undefined;
          let inputs: Record<string, any> | undefined;
          let id = r.id;
          if (isDynamic(r.type)) {
            const host = await this.providerHost();
            const read = await this.limit(() => host.read(r.id ?? "", r.urn, r.outputs, r.inputs));
            id = read.id;
            props = read.id ? read.properties : undefined;
            inputs = read.inputs;
          } else {
            const handler = handlers.get(r.type);
            const ctx: HandlerContext = { config: this.project.config, env: this.env, preview: false };
            props = handler?.read ? await this.limit(() => handler.read!(r.id ?? "", r.outputs, ctx)) : r.outputs;
          }
          if (!props) {
            step.op = "delete";
            this.resources.delete(r.urn);
          } else {
            step.diffs = changedKeys(r.outputs, props);
            step.new = props;
            if (step.diffs.length) step.op = "update";
            this.resources.set(r.urn, { ...r, id, outputs: props, inputs: inputs ? withoutProvider(inputs, r.inputs) : r.inputs });
          }
          await this.persist();
        } catch (e) {
          this.fail(step, e);
        }
      }),
    ).catch(() => undefined);
  }

  async destroy(): Promise<void> {
    await this.deleteAll([...this.resources.values()]);
  }
}

/** Read returns inputs including __provider; keep the stored provider if the read left it out. */
function withoutProvider(inputs: Record<string, any>, old: Record<string, any>): Record<string, any> {
  return { ...inputs, ...(inputs.__provider ? {} : old.__provider ? { __provider: old.__provider } : {}) };
}

export { UNKNOWN };
