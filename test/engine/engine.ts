// The deployment: turns what a program registers into the steps the Pulumi engine takes, and runs them.
// Check goes one resource at a time in registration order; Diff, Create, Update, Read and Delete of
// independent resources run concurrently (bounded by --parallel). Preview calls Check and Diff (and Read
// for `Resource.get`) only. Deletes of resources the program dropped, and of the old halves of
// replacements, run after the program, dependents first. Knows nothing about renewals.
import os from "node:os";
import path from "node:path";
import { changedKeys, render, summarize, type EngineOperation, type Step, type Summary } from "./display";
import { HostError, startProviderHost, type CheckFailure, type ProviderHost } from "./host";
import { dynamicProvider, handlerProvider, isDynamic, type StepProvider } from "./providers";
import { makeUrn, ROOT_STACK_TYPE, runProgram, type AliasSpec, type ResourceArgs } from "./program";
import { loadProject, type Project } from "./project";
import { CheckpointWriter, readCheckpoint, type Checkpoint, type CheckpointStats, type PendingOperation, type ResourceState } from "./state";
import { UNKNOWN, type Props } from "./values";

export type EngineEvent =
  /** A step has been decided (a preview decides every step it shows). */
  | { type: "step"; step: Step }
  /** A step has been carried out, or failed (`step.error`). */
  | { type: "step-done"; step: Step }
  /** A provider call that changes something starts now (after the checkpoint that lists it is on disk). */
  | { type: "call"; op: PendingOperation["op"]; urn: string; at: number }
  | { type: "diagnostic"; message: string };

export interface EngineOptions {
  cwd: string;
  stack: string;
  /** Default: `<cwd>/.engine-state/<stack>.json`. */
  stateFile?: string;
  /** `--config key=value` overrides; keys without a namespace take the project's. */
  config?: Record<string, string>;
  /**
   * At most this many provider operations at once, as `--parallel`: 1 or less is one at a time, 2147483647 is
   * unbounded. Default: `PULUMI_PARALLEL`, else 4 × the CPUs, as the Pulumi CLI does.
   */
  parallel?: number;
  /** `--target URN`: only these resources are created, updated or deleted; the others keep their state. */
  targets?: string[];
  /** `--refresh` (preview and up): read every resource in state first, as `pulumi refresh` would, then run. */
  refresh?: boolean;
  /** The environment of the program and of the provider host. */
  env?: NodeJS.ProcessEnv;
  onEvent?: (event: EngineEvent) => void;
}

export interface EngineResult {
  operation: EngineOperation;
  ok: boolean;
  error?: string;
  steps: Step[];
  summary: Summary;
  diagnostics: string[];
  /** The stack's outputs (its exports). */
  outputs?: Record<string, unknown>;
  /** The run as the CLI prints it. */
  text: string;
  stateFile: string;
  state: Checkpoint;
  /** The engine's own failure output (a crash), when there is one. */
  stderr: string;
  /** What writing the checkpoint cost. */
  checkpoint: CheckpointStats;
}

export function defaultStateFile(cwd: string, stack: string): string {
  return path.join(cwd, ".engine-state", `${stack}.json`);
}

/** `--parallel` of no limit: what the CLI runs without a bound (math.MaxInt32). */
export const UNBOUNDED = 2_147_483_647;

/** The CLI's default `--parallel` (cmd/pulumi/operations/up.go): PULUMI_PARALLEL if set, else 4 × GOMAXPROCS (the CPUs). */
export function defaultParallel(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.PULUMI_PARALLEL);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? Math.min(fromEnv, UNBOUNDED) : 4 * os.availableParallelism();
}

/** A counting gate for --parallel; unbounded at UNBOUNDED. */
function gate(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (limit < UNBOUNDED && active >= limit) await new Promise<void>((r) => waiting.push(r));
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

/** A registration refused because an earlier step failed: the program stops, and only the first failure is reported. */
class Canceled extends Error {
  constructor() {
    super("the update was canceled because an earlier step failed");
  }
}

/**
 * What the Pulumi engine answers every registration still waiting once a step has failed: its monitor
 * shuts down with gRPC UNAVAILABLE, and the SDK then stops its RPCs without failing the program's outputs.
 */
function monitorShutDown(): Error {
  return Object.assign(new Error("resource monitor shut down while waiting on step's done channel"), { code: 14 /* UNAVAILABLE */ });
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** What Pulumi says before an update or destroy of a stack an interrupted run left (resource/deploy/deployment_executor.go). */
function pendingOperationsWarning(pending: PendingOperation[]): string {
  return [
    `warning: Attempting to deploy or update resources with ${pending.length} pending operations from previous deployment.`,
    ...pending.map((p) => `  * ${p.urn}, interrupted while ${p.op}`),
    "These resources are in an unknown state because the Pulumi CLI was interrupted while waiting for changes to these resources to complete. You should confirm whether or not the operations listed completed successfully by checking the state of the appropriate provider. For example, if you are using AWS, you can confirm using the AWS Console.",
    "",
    "Once you have confirmed the status of the interrupted operations, you can repair your stack using `pulumi refresh` which will refresh the state from the provider you are using and clear the pending operations if there are any.",
    "",
    "Note that `pulumi refresh` will need to be run interactively to clear pending CREATE operations.",
  ].join("\n");
}

/** Pulumi's own words (resource/deploy/step.go). */
const protectedDelete = (urn: string) =>
  `resource "${urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${urn}'\``;

function checkFailureText(failures: CheckFailure[]): string {
  // Providers often start the reason with the property already; say it once.
  return failures.map((f) => (f.property ? `${f.property}: ${f.reason.replace(new RegExp(`^${f.property.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `), "")}` : f.reason)).join("; ");
}

export async function execute(operation: EngineOperation, options: EngineOptions): Promise<EngineResult> {
  const project = loadProject(options.cwd, options.stack, options.config);
  const stateFile = options.stateFile ?? defaultStateFile(options.cwd, options.stack);
  const previous = readCheckpoint(stateFile, project.name, options.stack);
  const writer = new CheckpointWriter(stateFile);
  const deployment = new Deployment(operation, project, options, previous, writer);
  let error: string | undefined;
  let stderr = "";
  try {
    error = await deployment.run();
  } catch (e) {
    // An engine bug, not a step failure: keep the stack for whoever reads the output.
    error = message(e);
    stderr = e instanceof Error && e.stack ? e.stack : String(e);
  } finally {
    await deployment.close();
  }
  const { steps, diagnostics, outputs } = deployment;
  return {
    operation,
    ok: !error,
    ...(error ? { error } : {}),
    steps,
    summary: summarize(steps, operation),
    diagnostics,
    outputs,
    text: render({ operation, stack: options.stack, steps, diagnostics, outputs, error }),
    stateFile,
    state: deployment.checkpoint(),
    stderr,
    checkpoint: { ...writer.stats },
  };
}

interface Declared {
  parent?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  provider?: string;
  protect?: boolean;
  retainOnDelete?: boolean;
}

class Deployment {
  readonly steps: Step[] = [];
  readonly diagnostics: string[] = [];
  outputs?: Record<string, unknown>;

  private readonly preview: boolean;
  private readonly env: NodeJS.ProcessEnv;
  /** Resources in state, by URN. */
  private readonly live = new Map<string, ResourceState>();
  /** Old halves of replacements (this run's or an interrupted run's), still to be deleted. */
  private readonly doomed: ResourceState[] = [];
  private readonly pending = new Set<PendingOperation>();
  private readonly registered = new Set<string>();
  /** New URN → the old URN whose state it took over through an alias. */
  private readonly aliased = new Map<string, string>();
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  private checkTurn: Promise<unknown> = Promise.resolve();
  private host?: Promise<ProviderHost>;
  private failure?: string;
  /** Settles at the first failure: the run stops waiting for the program, as Pulumi stops the language host. */
  private readonly failed: Promise<void>;
  private markFailed!: () => void;
  /** Provider calls still running: a failed run waits for them before it ends, as Pulumi waits for its steps. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly operation: EngineOperation,
    private readonly project: Project,
    private readonly options: EngineOptions,
    private readonly previous: Checkpoint,
    private readonly writer: CheckpointWriter,
  ) {
    this.preview = operation === "preview";
    this.env = options.env ?? process.env;
    // As the CLI's DegreeOfParallelism: anything below 1 runs one at a time.
    const bounded = gate(Math.max(1, options.parallel ?? defaultParallel(this.env)));
    this.limit = <T>(task: () => Promise<T>) => {
      const p = bounded(task);
      this.inFlight.add(p);
      void p.then(
        () => this.inFlight.delete(p),
        () => this.inFlight.delete(p),
      );
      return p;
    };
    this.failed = new Promise<void>((resolve) => (this.markFailed = resolve));
    for (const r of previous.resources) {
      if (r.delete) this.doomed.push(r);
      else this.live.set(r.urn, r);
    }
    this.outputs = previous.outputs;
  }

  /** Runs the operation; returns the error to report, if any. */
  async run(): Promise<string | undefined> {
    const pending = this.previous.pendingOperations ?? [];
    if (pending.length && (this.operation === "up" || this.operation === "destroy")) this.diagnose(pendingOperationsWarning(pending));
    if (this.previous.pendingOperations?.length && !this.preview) await this.persist();
    const dynamicInState = [...this.live.values(), ...this.doomed].some((r) => isDynamic(r.type));
    // The host takes about a second to start: start it while the program loads, as long as it will be needed.
    if (this.operation === "up" || this.operation === "preview" || dynamicInState) this.providerHost().catch(() => undefined);

    if (this.operation === "refresh") await this.refresh();
    else if (this.options.refresh && this.operation !== "destroy") {
      await this.refresh();
      if (!this.failure) await this.program();
    } else if (this.operation === "destroy") {
      await this.deleteAll([...this.live.values(), ...this.doomed], true);
      if (!this.live.size) this.outputs = undefined;
      await this.persist();
    } else {
      await this.program();
    }
    return this.failure;
  }

  checkpoint(): Checkpoint {
    const pendingOperations = [...this.pending];
    return {
      version: 1,
      project: this.project.name,
      stack: this.options.stack,
      resources: [...this.live.values(), ...this.doomed],
      ...(pendingOperations.length ? { pendingOperations } : {}),
      ...(this.stateOutputs() ? { outputs: this.stateOutputs() } : {}),
      ...(this.preview ? {} : { journal: this.writer.journalPosition }),
    };
  }

  /** A preview's outputs are a plan, not state. */
  private stateOutputs(): Record<string, unknown> | undefined {
    return this.preview ? this.previous.outputs : this.outputs;
  }

  async close(): Promise<void> {
    const host = await this.host?.catch(() => undefined);
    await host?.kill();
  }

  // ---- plumbing ----

  private emit(event: Parameters<NonNullable<EngineOptions["onEvent"]>>[0]): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's mistake must not break the deployment.
    }
  }

  private diagnose(line: string): void {
    this.diagnostics.push(line);
    this.emit({ type: "diagnostic", message: line });
  }

  private addStep(step: Step): Step {
    this.steps.push(step);
    this.emit({ type: "step", step });
    return step;
  }

  private done(step: Step): void {
    this.emit({ type: "step-done", step });
  }

  /** Writes the checkpoint (never during a preview); resolves once a write that includes the current state is on disk. */
  private async persist(): Promise<void> {
    if (!this.preview) await this.writer.save(() => this.checkpoint());
  }

  /**
   * Runs a provider call that changes the world, recorded as pending before it starts (in the journal, then in
   * every checkpoint written while it runs), as Pulumi does.
   */
  private async mutate<T>(r: { urn: string; type: string }, op: PendingOperation["op"], call: () => Promise<T>): Promise<T> {
    return this.limit(async () => {
      const entry: PendingOperation = { urn: r.urn, type: r.type, op };
      this.pending.add(entry);
      try {
        await this.writer.journal(entry);
        this.emit({ type: "call", op, urn: r.urn, at: performance.now() });
        return await call();
      } finally {
        this.pending.delete(entry);
      }
    });
  }

  private fail(step: Step, error: unknown): never {
    step.error = message(error);
    this.failure ??= `${step.type} ${step.name}: ${step.error}`;
    this.markFailed();
    this.done(step);
    throw error;
  }

  private providerHost(): Promise<ProviderHost> {
    this.host ??= startProviderHost({
      cwd: this.project.dir,
      // As Pulumi does for dynamic providers: the whole stack config, namespaces kept, also in PULUMI_CONFIG.
      env: { ...this.env, PULUMI_CONFIG: JSON.stringify(this.project.config) },
      onOutput: (_stream, line) => this.diagnose(line),
    }).then(async (host) => {
      await host.configure(this.project.config);
      return host;
    });
    return this.host;
  }

  private providerFor(type: string): StepProvider {
    if (isDynamic(type)) return dynamicProvider(() => this.providerHost());
    return handlerProvider(type, (urn) => ({ urn, config: this.project.config, env: this.env }));
  }

  // ---- preview and up: the program ----

  private async program(): Promise<void> {
    const result = await runProgram(this.project, {
      stack: this.options.stack,
      preview: this.preview,
      env: this.options.env,
      parallel: this.options.parallel,
      onOutput: (line) => this.diagnose(line),
      abandon: this.failed,
      mocks: {
        // Once the run has failed, every registration still open is answered as Pulumi's monitor does.
        newResource: (args) => this.register(args).catch((e) => Promise.reject(this.failure ? monitorShutDown() : e)),
        registerOutputs: (urn, outputs) => this.registerOutputs(urn, outputs),
        call: ({ token }) => {
          throw new Error(`invoke ${token} is not supported by the local engine`);
        },
      },
    });
    if (result.abandoned) {
      // The program may wait forever on registrations that will never be answered; the steps it started may not.
      while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    }
    const programErrors = result.errors.filter((e) => !(e instanceof Canceled));
    if (!this.failure && programErrors.length) {
      const first = programErrors[0];
      this.failure = `running program ${this.project.main} failed: ${message(first)}`;
      if (first instanceof Error && first.stack) this.diagnose(first.stack);
    }
    this.outputs = result.outputs ?? this.outputs;
    if (this.failure) {
      await this.persist();
      return;
    }
    // Pulumi deletes only once the program has completed: a partial program says nothing about the rest.
    const dropped = [...this.live.values()].filter((r) => !this.registered.has(r.urn) && this.targeted(r.urn));
    await this.deleteAll([...this.doomed, ...dropped], false);
    await this.persist();
  }

  private registerOutputs(urn: string, outputs: Props): void {
    const r = this.live.get(urn);
    if (this.preview || !r || r.custom || !this.registered.has(urn)) return;
    // A new entry rather than a change in place: the checkpoint writer caches each entry's JSON.
    this.live.set(urn, { ...r, outputs });
    this.persist().catch((e) => {
      this.failure ??= `writing the state file failed: ${message(e)}`;
      this.markFailed();
    });
  }

  private register(args: ResourceArgs): Promise<{ id?: string; state: Props }> {
    if (args.read) return this.read(args);
    if (this.registered.has(args.urn)) return Promise.reject(new Error(`duplicate resource URN ${args.urn}; give it a unique name`));
    this.registered.add(args.urn);
    if (this.failure) return Promise.reject(new Canceled());
    this.adoptAlias(args);
    const declared: Declared = {
      parent: args.parent,
      dependencies: args.dependencies,
      propertyDependencies: args.propertyDependencies,
      provider: args.provider,
      protect: args.protect,
      retainOnDelete: args.retainOnDelete,
    };
    return args.custom ? this.custom(args, declared) : this.component(args, declared);
  }

  /**
   * A resource registered under a new URN takes over the state of an old one its aliases name, as Pulumi's step
   * generator does: its own aliases (specs filled in from the resource's name, type and parent, the parent's
   * old URN standing in when the parent was renamed too), then those its parent's alias implies for a child
   * whose name starts with the parent's. The old URN is then neither kept nor deleted.
   */
  private adoptAlias(args: ResourceArgs): void {
    if (this.live.has(args.urn) || (!args.aliases.length && !(args.parent && this.aliased.has(args.parent)))) return;
    const { stack } = this.options;
    const project = this.project.name;
    const nameOf = (urn: string) => urn.split("::").pop()!;
    const typeOf = (urn: string) => urn.split("::")[2].split("$").pop()!;
    const collapse = (a: AliasSpec): string => {
      if ("urn" in a) return a.urn;
      const parent = a.noParent ? undefined : a.parentUrn ? (this.aliased.get(a.parentUrn) ?? a.parentUrn) : args.parent;
      return makeUrn(a.stack ?? stack, a.project ?? project, parent, a.type ?? args.type, a.name ?? args.name);
    };
    const candidates = args.aliases.map(collapse);
    const parentAlias = args.parent && this.aliased.get(args.parent);
    if (parentAlias) {
      const parentName = nameOf(args.parent!);
      const inherited = (type: string, name: string) => makeUrn(stack, project, parentAlias, type, name.startsWith(parentName) ? nameOf(parentAlias) + name.slice(parentName.length) : name);
      candidates.push(inherited(args.type, args.name), ...candidates.map((c) => inherited(typeOf(c), nameOf(c))));
    }
    const alias = candidates.find((c) => this.live.has(c) && !this.registered.has(c));
    if (!alias) return;
    const old = this.live.get(alias)!;
    this.live.delete(alias);
    this.live.set(args.urn, { ...old, urn: args.urn, name: args.name });
    this.aliased.set(args.urn, alias);
  }

  /** With `--target`, everything is a target when no target is given. The root stack always is. */
  private targeted(urn: string): boolean {
    const targets = this.options.targets;
    return !targets?.length || targets.includes(urn) || urn.split("::")[2] === ROOT_STACK_TYPE;
  }

  /**
   * A resource outside `--target`: it keeps the state it had, and one not yet created is not created (the
   * program gets its inputs back, without an id). Pulumi shows both as unchanged.
   */
  private untargeted(step: Step, old: ResourceState | undefined, inputs: Props): { id?: string; state: Props } {
    step.op = "same";
    step.diffs = [];
    this.addStep(step);
    this.done(step);
    return old ? { id: old.id, state: old.outputs } : { state: inputs };
  }

  private async component(args: ResourceArgs, declared: Declared): Promise<{ id?: string; state: Props }> {
    const old = this.live.get(args.urn);
    if (!this.targeted(args.urn)) {
      return this.untargeted({ op: "same", urn: args.urn, type: args.type, name: args.name, diffs: [], replaces: [], old: old?.inputs, new: args.inputs }, old, args.inputs);
    }
    const diffs = old ? changedKeys(old.inputs, args.inputs) : [];
    const step = this.addStep({ op: !old ? "create" : diffs.length ? "update" : "same", urn: args.urn, type: args.type, name: args.name, diffs, replaces: [], old: old?.inputs, new: args.inputs });
    if (!this.preview) {
      this.live.set(args.urn, { urn: args.urn, type: args.type, name: args.name, custom: false, inputs: args.inputs, outputs: old?.outputs ?? {}, ...declared });
      await this.persist();
    }
    this.done(step);
    return { state: args.inputs };
  }

  /** One resource's Check, after every earlier registration's: Pulumi checks in registration order. */
  private checkInTurn(provider: StepProvider, urn: string, olds: Props, news: Props) {
    // Pulumi stops generating steps at the first failure: later registrations are not even checked.
    const result = this.checkTurn.then(() => {
      if (this.failure) throw new Canceled();
      return provider.check(urn, olds, news);
    });
    this.checkTurn = result.catch(() => undefined);
    return result;
  }

  private async custom(args: ResourceArgs, declared: Declared): Promise<{ id?: string; state: Props }> {
    const { urn, type, name } = args;
    const old = this.live.get(urn);
    const provider = this.providerFor(type);
    // ignoreChanges: the old value stands in for the new one before Check sees it.
    const news: Props = { ...args.inputs };
    for (const key of args.ignoreChanges) {
      if (old && key in old.inputs) news[key] = old.inputs[key];
      else if (old) delete news[key];
    }
    const step: Step = { op: old ? "same" : "create", urn, type, name, diffs: [], replaces: [], old: old?.inputs, new: news };
    const checking = this.checkInTurn(provider, urn, old?.inputs ?? {}, news);

    let inputs: Props;
    try {
      const checked = await checking;
      if (checked.failures.length) throw new Error(checkFailureText(checked.failures));
      inputs = checked.inputs;
    } catch (e) {
      if (e instanceof Canceled) throw e;
      this.addStep(step);
      return this.fail(step, e);
    }
    step.new = inputs;
    const base = { urn, type, name, custom: true, ...declared };
    if (!this.targeted(urn)) return this.untargeted(step, old, inputs);

    if (!old) {
      this.addStep(step);
      if (this.preview) return this.previewed(step, undefined, inputs);
      return this.create(step, provider, base, inputs);
    }

    const decision = await this.limit(() => provider.diff(urn, old.id ?? "", old, inputs)).catch((e) => {
      this.addStep(step);
      return this.fail(step, e);
    });
    // As the CLI shows it: inputs that differ, kept to the keys the provider named when it named any.
    step.diffs = changedKeys(old.inputs, inputs).filter((k) => !decision.diffs.length || decision.diffs.includes(k));
    // ...and, as it does, a change of `protect`, even on a resource that is otherwise the same.
    const protectChange = !!old.protect !== !!args.protect ? ["protect"] : [];
    let { changes } = decision;
    const replaces = [...decision.replaces];
    if (changes) {
      for (const key of step.diffs) if ((args.replaceOnChanges.includes(key) || args.replaceOnChanges.includes("*")) && !replaces.includes(key)) replaces.push(key);
    }
    // A resource that failed to initialize is updated again even when its inputs did not change.
    if (!changes && old.initErrors?.length) changes = true;

    if (!changes) {
      step.diffs = protectChange;
      this.addStep(step);
      if (!this.preview) {
        // Pulumi records the new inputs and options even when nothing changes.
        this.live.set(urn, { ...old, ...base, inputs });
        await this.persist();
      }
      this.done(step);
      return { id: old.id, state: old.outputs };
    }

    if (replaces.length) {
      step.op = "replace";
      step.replaces = replaces;
      let fresh: { inputs: Props; failures: CheckFailure[] };
      try {
        // Unprotecting and replacing in one run is allowed, as Pulumi allows it.
        if (old.protect && args.protect) throw new Error(`unable to replace resource "${urn}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``);
        // Replacements are checked again with no olds, so the provider sees a fresh resource.
        fresh = await this.checkInTurn(provider, urn, {}, news);
        if (fresh.failures.length) throw new Error(checkFailureText(fresh.failures));
      } catch (e) {
        if (e instanceof Canceled) throw e;
        this.addStep(step);
        return this.fail(step, e);
      }
      step.new = fresh.inputs;
      this.addStep(step);
      if (this.preview) return this.previewed(step, undefined, fresh.inputs);
      if (decision.deleteBeforeReplace || args.deleteBeforeReplace) {
        try {
          await this.deleteOne(old);
        } catch (e) {
          this.fail(step, e);
        }
        this.live.delete(urn);
        await this.persist();
      } else {
        // Create the new one first; the old one is deleted after the program, and stays in state until then.
        this.doomed.push({ ...old, delete: true });
      }
      return this.create(step, provider, base, fresh.inputs);
    }

    step.op = "update";
    step.diffs = [...step.diffs, ...protectChange].sort();
    this.addStep(step);
    if (this.preview) return this.previewed(step, old.id, inputs);
    try {
      const outputs = await this.mutate(old, "updating", () => provider.update(urn, old.id ?? "", old, inputs));
      this.live.set(urn, { ...base, id: old.id, inputs, outputs });
      await this.persist();
      this.done(step);
      return { id: old.id, state: outputs };
    } catch (e) {
      if (e instanceof HostError && e.initFailed) {
        this.live.set(urn, { ...base, id: old.id, inputs, outputs: e.initFailed.properties, initErrors: e.initFailed.reasons });
        await this.persist();
      }
      return this.fail(step, e);
    }
  }

  /**
   * A preview's answer to the program: the dynamic host does not preview creates or updates, so, as
   * Pulumi does for such providers, the outputs are the checked inputs and anything else is unknown.
   */
  private previewed(step: Step, id: string | undefined, inputs: Props): { id?: string; state: Props } {
    this.done(step);
    return { id, state: inputs };
  }

  private async create(step: Step, provider: StepProvider, base: Omit<ResourceState, "inputs" | "outputs" | "id">, inputs: Props) {
    try {
      const { id, outputs } = await this.mutate(step, "creating", () => provider.create(step.urn, inputs));
      this.live.set(step.urn, { ...base, id, inputs, outputs });
      await this.persist();
      this.done(step);
      return { id, state: outputs };
    } catch (e) {
      // Created but failed to initialize: keep it, as Pulumi does, so the next run sees it.
      if (e instanceof HostError && e.initFailed) {
        this.live.set(step.urn, { ...base, id: e.initFailed.id, inputs, outputs: e.initFailed.properties, initErrors: e.initFailed.reasons });
        await this.persist();
      }
      return this.fail(step, e);
    }
  }

  /** `Resource.get(name, id)`: read, record as external (never created or deleted by this stack). */
  private async read(args: ResourceArgs): Promise<{ id?: string; state: Props }> {
    const { urn, type, name } = args;
    const id = args.id ?? "";
    const step = this.addStep({ op: "read", urn, type, name, diffs: [], replaces: [], new: args.inputs });
    this.registered.add(urn);
    // Pulumi reads during previews too, unless the id is not known yet.
    if (!id || id === UNKNOWN) {
      this.done(step);
      return { state: {} };
    }
    let found;
    try {
      // The engine has only the inputs; it passes them as the state too, as Pulumi does.
      found = await this.limit(() => this.providerFor(type).read(urn, id, args.inputs, args.inputs));
      if (!found) throw new Error(`resource '${id}' does not exist`);
    } catch (e) {
      return this.fail(step, e);
    }
    step.new = found.outputs;
    if (!this.preview) {
      this.live.set(urn, { urn, type, name, custom: true, id: found.id, inputs: args.inputs, outputs: found.outputs, parent: args.parent, dependencies: args.dependencies, provider: args.provider, external: true });
      await this.persist();
    }
    this.done(step);
    return { id: found.id, state: found.outputs };
  }

  // ---- deletes: dependents first ----

  private async deleteOne(r: ResourceState): Promise<void> {
    if (!r.custom || r.external || r.retainOnDelete) return;
    await this.mutate(r, "deleting", () => this.providerFor(r.type).delete(r.urn, r.id ?? "", r.outputs));
  }

  /**
   * Deletes `targets`, each once everything among them that depends on it is gone. A failed delete
   * leaves what it depends on in place. `show` adds a step for the old halves of replacements too
   * (destroy); during an up their replace step already tells.
   */
  private async deleteAll(targets: ResourceState[], show: boolean): Promise<void> {
    // Who depends on whom, by URN: a child on its parent, a resource on its dependencies (plain and per
    // property) and on its provider. Indexed once: comparing every pair took a minute at 10000 resources.
    const dependents = new Map<string, Set<ResourceState>>();
    for (const d of targets) {
      const on = [d.parent, ...d.dependencies, d.provider?.split("::").slice(0, -1).join("::"), ...Object.values(d.propertyDependencies ?? {}).flat()];
      for (const urn of on) {
        if (!urn || urn === d.urn) continue;
        if (!dependents.has(urn)) dependents.set(urn, new Set());
        dependents.get(urn)!.add(d);
      }
    }
    const gone = new Map<ResourceState, Promise<void>>();
    const remove = (r: ResourceState) => {
      if (this.live.get(r.urn) === r) this.live.delete(r.urn);
      const i = this.doomed.indexOf(r);
      if (i >= 0) this.doomed.splice(i, 1);
    };
    const deletion = (r: ResourceState): Promise<void> => {
      let p = gone.get(r);
      if (p) return p;
      p = (async () => {
        await Promise.all([...(dependents.get(r.urn) ?? [])].map(deletion));
        const step: Step = { op: "delete", urn: r.urn, type: r.type, name: r.name, diffs: [], replaces: [], old: r.inputs };
        if (show || !r.delete) this.addStep(step);
        if (this.preview) return this.done(step);
        if (r.protect) this.fail(step, new Error(protectedDelete(r.urn)));
        try {
          await this.deleteOne(r);
        } catch (e) {
          this.fail(step, e);
        }
        remove(r);
        await this.persist();
        this.done(step);
      })();
      gone.set(r, p);
      return p;
    };
    await Promise.allSettled(targets.map(deletion));
  }

  // ---- refresh ----

  private async refresh(): Promise<void> {
    await Promise.allSettled(
      [...this.live.values()].map(async (r) => {
        if (!r.custom) return;
        const step: Step = { op: "same", urn: r.urn, type: r.type, name: r.name, diffs: [], replaces: [], old: r.outputs, refresh: true };
        let found;
        try {
          found = await this.limit(() => this.providerFor(r.type).read(r.urn, r.id ?? "", r.outputs, r.inputs));
        } catch (e) {
          this.addStep(step);
          return this.fail(step, e);
        }
        if (!found) {
          step.op = "delete";
          this.addStep(step);
          this.live.delete(r.urn);
        } else {
          step.new = found.outputs;
          step.diffs = changedKeys(r.outputs, found.outputs);
          if (step.diffs.length) step.op = "update";
          this.addStep(step);
          // Read answers carry `__provider` in outputs and inputs; keep the stored one if an answer left it out.
          const keep = (o: Props, stored: Props) => ("__provider" in stored && !("__provider" in o) ? { ...o, __provider: stored.__provider } : o);
          this.live.set(r.urn, { ...r, id: found.id, outputs: keep(found.outputs, r.outputs), inputs: found.inputs ? keep(found.inputs, r.inputs) : r.inputs });
        }
        await this.persist();
        this.done(step);
      }),
    );
  }
}

export { makeUrn };
