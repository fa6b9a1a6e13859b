// Runs a Pulumi program in this process under `pulumi.runtime.setMocks`, the way the Node language host
// runs it under `pulumi`: config set, cwd at the project, the program's `@pulumi/pulumi` (the instance it
// resolves itself) pointed at a monitor. Every registration reaches `mocks.newResource` with the mock
// arguments of 3.248 ({type, name, inputs, custom, id, provider}) plus what the real engine also gets from
// the request and the mocks leave out: URN, parent, dependencies, resource options.
//
// The SDK keeps its runtime state in process globals, so runs in one process take turns (a lock), and
// each run gets the process to itself: environment, working directory, console, unhandled rejections.
/* eslint-disable @typescript-eslint/no-explicit-any */
import path from "node:path";
import util from "node:util";
import type { Project } from "./project";
import { plainProps, secret, secretKeys, type Props } from "./values";

export interface ResourceArgs {
  type: string;
  name: string;
  /** Inputs as a provider that takes no secrets or resources gets them; unknowns are the UNKNOWN sentinel. */
  inputs: Props;
  custom: boolean;
  /** The import id of a registration, or the id of a `Resource.get` read. */
  id?: string;
  /** A provider reference, `urn::id`. */
  provider?: string;
  urn: string;
  /** True for `Resource.get(name, id)`: read the resource, do not manage it. */
  read?: boolean;
  parent?: string;
  /** Every resource this one depends on: `dependsOn` and the resources its inputs came from. */
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect?: boolean;
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  /** The resource's aliases as the SDK sends them (specs the engine turns into URNs, or URNs). */
  aliases: AliasSpec[];
}

/** One alias: an old URN, or the parts that differ from the resource's own (name, type, parent, stack, project). */
export type AliasSpec = { urn: string } | { name?: string; type?: string; stack?: string; project?: string; parentUrn?: string; noParent?: boolean };

/** The aliases of a RegisterResourceRequest: structured ones (the SDK's default) and plain alias URNs. */
function aliasesOf(req: any): AliasSpec[] {
  const out: AliasSpec[] = req.getAliasurnsList().map((urn: string) => ({ urn }));
  for (const a of req.getAliasesList()) {
    if (a.hasSpec()) {
      const s = a.getSpec();
      out.push({ name: s.getName() || undefined, type: s.getType() || undefined, stack: s.getStack() || undefined, project: s.getProject() || undefined, parentUrn: s.getParenturn() || undefined, noParent: s.getNoparent() || undefined });
    } else if (a.getUrn()) {
      out.push({ urn: a.getUrn() });
    }
  }
  return out;
}

export interface EngineMocks {
  /** Returns the resource's id (none for a component, or while unknown in a preview) and its outputs. */
  newResource(args: ResourceArgs): Promise<{ id?: string; state: Props }>;
  /** A component's (and the stack's) `registerOutputs`. */
  registerOutputs(urn: string, outputs: Props): void;
  call(args: { token: string; inputs: Props; provider?: string }): Props | Promise<Props>;
}

export interface ProgramOptions {
  stack: string;
  preview: boolean;
  /** The environment the program sees (process.env is swapped for the duration of the run). */
  env?: NodeJS.ProcessEnv;
  /** `--parallel`: with 1 the SDK registers resources one at a time, as under `pulumi up --parallel 1`. */
  parallel?: number;
  mocks: EngineMocks;
  /** The program's console output, line by line (Pulumi shows it as diagnostics of the stack). */
  onOutput?: (line: string) => void;
  /**
   * Settles when the deployment has failed. As the Pulumi engine shuts its monitor down and stops the
   * language host, the run then stops waiting for the program: its registrations may never be answered.
   */
  abandon?: Promise<unknown>;
}

export interface ProgramResult {
  /** The stack's outputs (exports), as the program registered them. */
  outputs?: Props;
  /** What the program threw, or a rejection nobody handled while it ran. */
  errors: unknown[];
  /** The run stopped waiting for the program because the deployment failed. */
  abandoned?: boolean;
}

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** A URN as the Pulumi engine builds it: the parent's qualified type chain, except the root stack's. */
export function makeUrn(stack: string, project: string, parent: string | undefined, type: string, name: string): string {
  const parentType = parent ? parent.split("::")[2] : undefined;
  const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The process-wide turn: one program run at a time, whichever copy of this module asks. */
const LOCK = Symbol.for("pulumi-alicloud-renewal.engine.program-lock");
function takeTurn(): Promise<() => void> {
  const g = globalThis as any;
  const previous: Promise<void> = g[LOCK] ?? Promise.resolve();
  let release!: () => void;
  g[LOCK] = previous.then(() => new Promise<void>((r) => (release = r)));
  return previous.then(() => release);
}

/** Modules a program loaded (its own files and local packages, not node_modules): dropped before the next run. */
const LOADED = Symbol.for("pulumi-alicloud-renewal.engine.program-modules");

function swapEnv(env: NodeJS.ProcessEnv): () => void {
  const saved = { ...process.env };
  const apply = (next: NodeJS.ProcessEnv) => {
    for (const k of Object.keys(process.env)) if (!(k in next)) delete process.env[k];
    for (const [k, v] of Object.entries(next)) if (v !== undefined) process.env[k] = v;
  };
  apply(env);
  return () => apply(saved);
}

/** Rejections and exceptions during the run belong to the program: record them instead of letting the host process see them. */
function captureFailures(errors: unknown[]): () => void {
  const rejected = new Map<Promise<unknown>, unknown>();
  const listeners: Record<string, (...args: any[]) => void> = {
    uncaughtException: (error: unknown) => void errors.push(error),
    unhandledRejection: (reason: unknown, promise: Promise<unknown>) => {
      rejected.set(promise, reason);
      errors.push(reason);
    },
    // The SDK attaches some handlers late: a rejection handled after all was no failure.
    rejectionHandled: (promise: Promise<unknown>) => {
      if (!rejected.has(promise)) return;
      const i = errors.indexOf(rejected.get(promise));
      if (i >= 0) errors.splice(i, 1);
      rejected.delete(promise);
    },
    // ...and Node warns about each of those; other warnings go where they went before.
    warning: (warning: Error) => {
      if (warning.name !== "PromiseRejectionHandledWarning") for (const l of saved.warning) l(warning);
    },
  };
  const saved: Record<string, Array<(...args: any[]) => void>> = {};
  for (const [event, listener] of Object.entries(listeners)) {
    saved[event] = process.listeners(event as "warning") as Array<(...args: any[]) => void>;
    process.removeAllListeners(event);
    process.on(event, listener);
  }
  return () => {
    for (const [event, listener] of Object.entries(listeners)) {
      process.removeListener(event, listener);
      for (const l of saved[event]) process.on(event, l);
    }
  };
}

function captureConsole(onOutput: (line: string) => void): () => void {
  const methods = ["log", "info", "warn", "error", "debug"] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => util.format(...args).split("\n").forEach(onOutput);
  return () => methods.forEach((m, i) => (console[m] = saved[i]));
}

export async function runProgram(project: Project, options: ProgramOptions): Promise<ProgramResult> {
  const release = await takeTurn();
  const undo: Array<() => void> = [];
  const errors: unknown[] = [];
  try {
    const fromProject = (m: string) => require.resolve(m, { paths: [project.dir] });
    const pulumiRoot = path.dirname(fromProject("@pulumi/pulumi/package.json"));
    const fromPulumi = (m: string) => require(path.join(pulumiRoot, m));
    const pulumi = require(pulumiRoot);
    const settings = fromPulumi("runtime/settings");
    const { MockMonitor } = fromPulumi("runtime/mocks");
    const { getStore, withLocalStorage } = fromPulumi("runtime/state");
    const resproto = fromPulumi("proto/resource_pb");
    const structproto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiRoot] }));

    const { mocks, stack, preview } = options;
    const urnOf = (parent: string, type: string, name: string) => makeUrn(stack, project.name, parent || undefined, type, name);
    const toStruct = (o: Props) => structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(o)));
    let outputs: Props | undefined;

    class EngineMonitor extends MockMonitor {
      async registerResource(req: any, callback: (err: unknown, res?: unknown) => void) {
        try {
          const raw = req.getObject()?.toJavaScript() ?? {};
          const urn = urnOf(req.getParent(), req.getType(), req.getName());
          const propertyDependencies: Record<string, string[]> = {};
          for (const [k, deps] of req.getPropertydependenciesMap().entries()) propertyDependencies[k] = deps.getUrnsList();
          const result = await mocks.newResource({
            type: req.getType(),
            name: req.getName(),
            inputs: plainProps(raw),
            custom: req.getCustom(),
            id: req.getImportid() || undefined,
            provider: req.getProvider() || undefined,
            urn,
            parent: req.getParent() || undefined,
            dependencies: req.getDependenciesList(),
            propertyDependencies,
            protect: req.hasProtect() ? req.getProtect() : undefined,
            retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
            deleteBeforeReplace: req.getDeletebeforereplace() || undefined,
            ignoreChanges: req.getIgnorechangesList(),
            replaceOnChanges: req.getReplaceonchangesList(),
            aliases: aliasesOf(req),
          });
          // As the Pulumi engine does: an output named like a secret input, or listed in
          // additionalSecretOutputs, goes back to the program as a secret.
          const state: Props = { ...result.state };
          for (const k of new Set([...secretKeys(raw), ...req.getAdditionalsecretoutputsList()])) {
            if (k in state) state[k] = secret(state[k]);
          }
          this.resources.set(urn, { urn, id: result.id ?? null, state });
          const response = new resproto.RegisterResourceResponse();
          response.setUrn(urn);
          response.setId(result.id ?? "");
          response.setObject(toStruct(state));
          callback(null, response);
        } catch (err) {
          callback(err);
        }
      }

      async readResource(req: any, callback: (err: unknown, res?: unknown) => void) {
        try {
          const urn = urnOf(req.getParent(), req.getType(), req.getName());
          const result = await mocks.newResource({
            type: req.getType(),
            name: req.getName(),
            inputs: plainProps(req.getProperties()?.toJavaScript() ?? {}),
            custom: true,
            id: req.getId(),
            provider: req.getProvider() || undefined,
            urn,
            read: true,
            parent: req.getParent() || undefined,
            dependencies: req.getDependenciesList(),
            propertyDependencies: {},
            ignoreChanges: [],
            replaceOnChanges: [],
            aliases: [],
          });
          this.resources.set(urn, { urn, id: result.id ?? null, state: result.state });
          const response = new resproto.ReadResourceResponse();
          response.setUrn(urn);
          response.setProperties(toStruct(result.state));
          callback(null, response);
        } catch (err) {
          callback(err);
        }
      }

      registerResourceOutputs(req: any, callback: (err: unknown, res?: unknown) => void) {
        const urn: string = req.getUrn();
        const registered = plainProps(req.getOutputs()?.toJavaScript() ?? {});
        if (urn.split("::")[2] === ROOT_STACK_TYPE) outputs = registered;
        try {
          mocks.registerOutputs(urn, registered);
        } catch (err) {
          return callback(err);
        }
        super.registerResourceOutputs(req, callback);
      }
    }

    if (options.env) undo.push(swapEnv(options.env));
    undo.push(captureFailures(errors));
    if (options.onOutput) undo.push(captureConsole(options.onOutput));
    const cwd = process.cwd();
    try {
      process.chdir(project.dir);
      undo.push(() => process.chdir(cwd));
    } catch {
      // Worker threads cannot change directory; the program then resolves relative paths from the caller's.
    }
    const { register } = require("tsx/cjs/api");
    const sourceMaps = process.sourceMapsEnabled;
    undo.push(register());
    // The SDK captures a stack trace for every resource; mapping each through source maps dominated the
    // run time of large stacks. Error positions stay in compiled-line terms.
    process.setSourceMapsEnabled(false);
    undo.push(() => process.setSourceMapsEnabled(sourceMaps));
    // ...and it formats a stack for every promise it makes (about sixteen per resource) only for a leak
    // report at process exit, which never comes here: half the CPU of a 1000-resource program. The SDK
    // raises the limit itself where it wants positions (Resource.callsites), and the engine shows a
    // program's errors by their message.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    undo.push(() => (Error.stackTraceLimit = stackTraceLimit));

    const g = globalThis as any;
    for (const key of (g[LOADED] as string[] | undefined) ?? []) delete require.cache[key];
    const before = new Set(Object.keys(require.cache));
    // Each run has a runtime store of its own (as the automation API gives inline programs): whatever a
    // program left in flight stays bound to its own monitor, never the next run's.
    const finished: Promise<void> = withLocalStorage(async () => {
      const callMocks = { newResource: () => ({ id: "", state: {} }), call: (a: any) => mocks.call({ token: a.token, inputs: plainProps(a.inputs), provider: a.provider || undefined }) };
      // setMocks sets the feature flags of this SDK version (secrets, resource references, …); setting our
      // monitor afterwards resets them, so they are put back as setMocks left them.
      await pulumi.runtime.setMocks(callMocks, project.name, stack, preview);
      const store = getStore();
      const features = Object.fromEntries(Object.entries(store).filter(([k]) => k.startsWith("supports")));
      settings.setMockOptions(new (EngineMonitor as any)(callMocks), project.name, stack, preview);
      Object.assign(store, features);
      store.settings.options.rootDirectory = project.dir;
      store.settings.options.parallel = options.parallel || -1;
      pulumi.runtime.setAllConfig(project.config, project.secretKeys);
      try {
        await pulumi.runtime.runInPulumiStack(async () => {
          const mod = require(project.main);
          const single = mod && typeof mod.default === "function" && Object.keys(mod).filter((k) => k !== "__esModule").length === 1;
          const entry = typeof mod === "function" ? mod : single ? mod.default : undefined;
          return entry ? await entry() : mod;
        });
      } catch (error) {
        errors.unshift(error);
      }
      await settings.waitForRPCs().catch((error: unknown) => errors.push(error));
      // Late rejections of the program's outputs surface a turn later.
      await new Promise((r) => setImmediate(r));
    });
    const abandoned = await Promise.race([finished.then(() => false), (options.abandon ?? new Promise<never>(() => undefined)).then(() => true)]);

    g[LOADED] = Object.keys(require.cache).filter((k) => !before.has(k) && !k.split(path.sep).includes("node_modules"));
    return { outputs, errors, ...(abandoned ? { abandoned } : {}) };
  } finally {
    for (const u of undo.reverse()) u();
    release();
  }
}
