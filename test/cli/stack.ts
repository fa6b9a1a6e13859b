// A stack of a project under the real Pulumi CLI, for tests: the project is copied to a scratch folder in the
// ignored .pulumi-cli/work/ (inside the workspace, so `@pulumi/pulumi` and `pulumi-alicloud-renewal` resolve
// as they do for the examples), because `pulumi stack init` and `pulumi config set` write the stack's config
// file and committed files must stay as they are. Each stack has its own PULUMI_HOME and file backend.
// Every operation writes an engine event log, read into the local engine's step shape (events.ts).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { EngineOperation, Step, Summary } from "../engine";
import { cliEnvironment } from "./environment";
import { diagnosticsOf, readEventLog, stepsOf, summaryOf, type EngineEventRecord } from "./events";
import { CLI_DIR, findToolchain, type Toolchain } from "./toolchain";

export interface CliResult {
  code: number;
  signal?: NodeJS.Signals;
  stdout: string;
  stderr: string;
}

export interface CliRun extends CliResult {
  operation: EngineOperation;
  ok: boolean;
  events: EngineEventRecord[];
  steps: Step[];
  summary: Summary;
  diagnostics: string[];
  /** The stack's outputs after the operation (`pulumi stack output --json --show-secrets`); none for a preview. */
  outputs?: Record<string, unknown>;
}

export interface RunOptions {
  /** Extra CLI arguments, e.g. ["--target", urn] or ["--refresh"]. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Called with the CLI's process once it has started (to interrupt it, say). */
  onSpawn?: (child: import("node:child_process").ChildProcess) => void;
  /** Write and read the event log, and read the outputs after (default); off, only the command runs (the benchmark). */
  eventLog?: boolean;
}

let toolchain: Promise<Toolchain> | undefined;

/** The CLI the global setup found or built (never builds here). */
export function cliToolchain(): Promise<Toolchain> {
  toolchain ??= findToolchain({ build: false }).then((t) => {
    if (!t) throw new Error("no Pulumi CLI: run the suite with `npm run test:cli`, whose global setup builds one");
    return t;
  });
  return toolchain;
}

const WORK = path.join(CLI_DIR, "work");
const SKIP = new Set(["node_modules", ".engine-state", ".pulumi"]);
let counter = 0;

function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const src = path.join(from, entry.name);
    if (entry.isDirectory()) copyTree(src, path.join(to, entry.name));
    else if (entry.isFile()) fs.copyFileSync(src, path.join(to, entry.name));
  }
}

/** A relative `extends` in a copied tsconfig.json points where it pointed from the original folder. */
function keepTsconfigExtends(original: string, copy: string): void {
  for (const entry of fs.readdirSync(copy, { withFileTypes: true })) {
    if (entry.isDirectory()) keepTsconfigExtends(path.join(original, entry.name), path.join(copy, entry.name));
    if (entry.name !== "tsconfig.json") continue;
    const file = path.join(copy, entry.name);
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as { extends?: string };
    if (!config.extends?.startsWith(".")) continue;
    config.extends = path.relative(copy, path.resolve(original, config.extends));
    fs.writeFileSync(file, JSON.stringify(config, null, 2) + "\n");
  }
}

function yaml(): { load(text: string): unknown; dump(value: unknown): string } {
  return require("js-yaml");
}

/**
 * Copies the project at `source`. A Pulumi.yaml whose `main` names a folder elsewhere (the root demo project)
 * gets that folder copied as `program/`; otherwise the whole folder is copied.
 */
function copyProject(source: string, dest: string): void {
  const project = yaml().load(fs.readFileSync(path.join(source, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
  const main = typeof project.main === "string" ? project.main : undefined;
  if (main && path.resolve(source, main) !== source) {
    fs.mkdirSync(dest, { recursive: true });
    for (const f of fs.readdirSync(source)) if (/^Pulumi(\.[^.]+)?\.ya?ml$/.test(f)) fs.copyFileSync(path.join(source, f), path.join(dest, f));
    copyTree(path.resolve(source, main), path.join(dest, "program"));
    keepTsconfigExtends(path.resolve(source, main), path.join(dest, "program"));
    fs.writeFileSync(path.join(dest, "Pulumi.yaml"), yaml().dump({ ...project, main: "program/" }));
  } else {
    copyTree(source, dest);
    keepTsconfigExtends(source, dest);
  }
}

/**
 * A copy of the project at `source` in the ignored work folder, for a scenario that runs a variant of it
 * (`edit` gets the copy's folder). Both engines then run the copy; the caller removes it.
 */
export function scratchProject(source: string, edit: (dir: string) => void): string {
  const dir = path.join(WORK, `${path.basename(source)}-variant-${process.pid}-${++counter}`);
  fs.rmSync(dir, { recursive: true, force: true });
  copyProject(source, dir);
  edit(dir);
  return dir;
}

/** `secure:` values a stack file holds in plain form (the examples' stand-ins for `config set --secret`). */
function plainSecrets(stackFile: string): Array<[string, string]> {
  if (!fs.existsSync(stackFile)) return [];
  const doc = yaml().load(fs.readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> } | undefined;
  return Object.entries(doc?.config ?? {}).flatMap(([k, v]) =>
    v && typeof v === "object" && "secure" in v && typeof v.secure === "string" && !v.secure.startsWith("v1:") ? [[k, v.secure] as [string, string]] : [],
  );
}

export class CliStack {
  private runs = 0;

  private constructor(
    readonly toolchain: Toolchain,
    /** The scratch folder: project/ (the copy), home/, backend/, events/. */
    readonly dir: string,
    /** What `pulumi` runs and `pulumi config set` changes. */
    readonly projectDir: string,
    readonly stack: string,
    private readonly baseEnv: NodeJS.ProcessEnv,
  ) {}

  /**
   * A new stack of a copy of the project at `source` (or of the project itself, `inPlace`, for a scratch
   * project that is already a throwaway); its stack file's plain `secure:` values are set as secrets.
   */
  static async create(source: string, options: { stack?: string; env?: NodeJS.ProcessEnv; inPlace?: boolean } = {}): Promise<CliStack> {
    const stack = options.stack ?? "dev";
    const dir = path.join(WORK, `${path.basename(source)}-${process.pid}-${++counter}`);
    fs.rmSync(dir, { recursive: true, force: true });
    if (!options.inPlace) copyProject(source, path.join(dir, "project"));
    for (const d of ["home", "backend", "events"]) fs.mkdirSync(path.join(dir, d), { recursive: true });
    const s = new CliStack(await cliToolchain(), dir, options.inPlace ? source : path.join(dir, "project"), stack, options.env ?? process.env);
    const secrets = plainSecrets(path.join(s.projectDir, `Pulumi.${stack}.yaml`));
    await s.expect(["stack", "init", stack, "--non-interactive"]);
    for (const [key, value] of secrets) await s.expect(["config", "set", "--secret", key, value, "--stack", stack]);
    return s;
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return cliEnvironment(this.toolchain, { ...this.baseEnv, ...extra }, { home: path.join(this.dir, "home"), backend: path.join(this.dir, "backend") });
  }

  /** Runs `pulumi ARGS` in the project's copy. */
  pulumi(args: string[], options: Omit<RunOptions, "args"> = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.toolchain.pulumi, args, { cwd: this.projectDir, env: this.env(options.env), stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code: code ?? -1, ...(signal ? { signal } : {}), stdout, stderr }));
      options.onSpawn?.(child);
    });
  }

  /** `pulumi ARGS` that must succeed. */
  async expect(args: string[], options: Omit<RunOptions, "args"> = {}): Promise<CliResult> {
    const r = await this.pulumi(args, options);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited with ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  async configSet(key: string, value: string, options: { secret?: boolean; path?: boolean } = {}): Promise<void> {
    await this.expect(["config", "set", ...(options.secret ? ["--secret"] : []), ...(options.path ? ["--path"] : []), key, value, "--stack", this.stack]);
  }

  /** preview, up, refresh or destroy, non-interactive; up, refresh and destroy skip their preview. */
  async run(operation: EngineOperation, options: RunOptions = {}): Promise<CliRun> {
    const log = path.join(this.dir, "events", `${++this.runs}-${operation}.jsonl`);
    const recording = options.eventLog !== false;
    const command = operation === "preview" ? ["preview"] : [operation, "--yes", "--skip-preview"];
    const result = await this.pulumi([...command, "--stack", this.stack, "--non-interactive", ...(recording ? ["--event-log", log] : []), ...(options.args ?? [])], {
      env: { PULUMI_DEBUG_COMMANDS: "true", ...options.env },
      onSpawn: options.onSpawn,
    });
    const events = recording ? readEventLog(log) : [];
    const steps = stepsOf(events);
    const outputs = operation === "preview" || !recording ? undefined : await this.outputs();
    return { ...result, operation, ok: result.code === 0, events, steps, summary: summaryOf(steps), diagnostics: diagnosticsOf(events), ...(outputs ? { outputs } : {}) };
  }

  async outputs(): Promise<Record<string, unknown>> {
    const r = await this.expect(["stack", "output", "--json", "--show-secrets", "--stack", this.stack]);
    return JSON.parse(r.stdout || "{}") as Record<string, unknown>;
  }

  /** `pulumi stack export`: the checkpoint as the CLI stores it (secrets encrypted unless `showSecrets`). */
  async export(options: { showSecrets?: boolean } = {}): Promise<{ deployment: { resources?: Array<Record<string, unknown>>; pending_operations?: unknown[] } }> {
    const r = await this.expect(["stack", "export", ...(options.showSecrets ? ["--show-secrets"] : []), "--stack", this.stack]);
    return JSON.parse(r.stdout);
  }

  /** Removes the scratch folder (the stack's state goes with it). */
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
