// A typed gRPC client for the real dynamic-provider host shipped in @pulumi/pulumi (cmd/dynamic-provider),
// spawned the way the Pulumi engine spawns `pulumi-resource-pulumi-nodejs`: the port is read from its first
// stdout line, then Configure, Check, Diff, Create, Read, Update and Delete are plain unary calls.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { UNKNOWN, type Props } from "./values";

export { UNKNOWN };

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface DiffAnswer {
  changes: "none" | "some" | "unknown";
  /** Changed keys, when the provider names them (the dynamic host of 3.248 does not). */
  diffs: string[];
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** What the host said it can take in its ConfigureResponse. */
export interface HostCapabilities {
  acceptSecrets: boolean;
  acceptResources: boolean;
  supportsPreview: boolean;
}

export interface InitFailure {
  id: string;
  properties: Props;
  reasons: string[];
}

/** An error from the host, with the provider's message. */
export class HostError extends Error {
  constructor(
    message: string,
    /** Set when the resource exists but did not finish initializing: keep it in state, as Pulumi does. */
    readonly initFailed?: InitFailure,
    /** Set when the host process ended: "exit code 1" or "signal SIGKILL". */
    readonly exit?: string,
  ) {
    super(message);
    this.name = "HostError";
  }
}

export interface ProviderHost {
  readonly pid: number;
  /** Lines the host printed after its port, and on stderr. */
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves with "exit code N" or "signal S" once the process has ended. */
  readonly exited: Promise<string>;
  configure(config: Record<string, string>): Promise<HostCapabilities>;
  check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }>;
  diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffAnswer>;
  create(urn: string, props: Props): Promise<{ id: string; properties: Props }>;
  /** An empty `id` in the answer means the resource no longer exists. */
  read(id: string, urn: string, props: Props, inputs?: Props): Promise<{ id: string; properties: Props; inputs?: Props }>;
  update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }>;
  delete(id: string, urn: string, props: Props): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartProviderHostOptions {
  /** The program's folder: the host resolves `require("pulumi-alicloud-renewal/…")` in provider code from here. */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Each line the host prints after its port (the engine shows these as diagnostics). */
  onOutput?: (stream: "stdout" | "stderr", line: string) => void;
}

/** The @pulumi/pulumi that `cwd` resolves, and the gRPC and protobuf modules it uses, so classes match the host's. */
function pulumiModules(cwd: string) {
  const root = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [cwd] }));
  const fromPulumi = (m: string) => require(require.resolve(m, { paths: [root] }));
  return {
    root,
    grpc: fromPulumi("@grpc/grpc-js"),
    services: require(path.join(root, "proto", "provider_grpc_pb")),
    messages: require(path.join(root, "proto", "provider_pb")),
    status: require(path.join(root, "proto", "status_pb")),
    struct: fromPulumi("google-protobuf/google/protobuf/struct_pb"),
  };
}

/** google-protobuf's Struct rejects `undefined`; JSON drops it, as the wire does. */
function jsonable(o: Props): Props {
  return JSON.parse(JSON.stringify(o ?? {}));
}

// The host never reads stdin; its end means the engine is gone (even killed), and the host should go too.
const ORPHAN_GUARD = ["--import", `data:text/javascript,process.stdin.on("end",()=>process.exit(0)).resume()`];

// Errors that mean the connection broke rather than the provider answering: the host may be dying.
const TRANSPORT_CODES = new Set([1, 13, 14]); // CANCELLED, INTERNAL, UNAVAILABLE

export async function startProviderHost(options: StartProviderHostOptions): Promise<ProviderHost> {
  const m = pulumiModules(options.cwd);
  const child = spawn(process.execPath, [ORPHAN_GUARD, path.join(m.root, "cmd", "dynamic-provider", "index.js"), "127.0.0.1:0"].flat(), {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let ended: string | undefined;
  // "close" comes after "exit", once the host's output has been read to the end.
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const exited = new Promise<string>((resolve) => {
    child.on("exit", (code, signal) => resolve((ended = signal ? `signal ${signal}` : `exit code ${code}`)));
    // A spawn failure emits "error" and no "exit".
    child.on("error", (error) => resolve((ended = `spawn error: ${error.message}`)));
  });

  const port = await new Promise<number>((resolve, reject) => {
    let first = true;
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      if (first) {
        first = false;
        const n = Number(line.trim());
        if (Number.isInteger(n) && n > 0) resolve(n);
        else reject(new HostError(`provider host printed "${line}" instead of its port`));
        return;
      }
      stdout.push(line);
      options.onOutput?.("stdout", line);
    });
    readline.createInterface({ input: child.stderr }).on("line", (line) => {
      stderr.push(line);
      options.onOutput?.("stderr", line);
    });
    void exited.then((how) => reject(new HostError(`provider host ended before printing its port (${how}): ${stderr.join("\n")}`, undefined, how)));
  });

  const client = new m.services.ResourceProviderClient(`127.0.0.1:${port}`, m.grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": 64 * 1024 * 1024,
  });
  const struct = (o: Props) => m.struct.Struct.fromJavaScript(jsonable(o));
  const props = (s: any): Props => (s ? s.toJavaScript() : {});
  const died = (method: string, how: string) => new HostError(`provider host died (${how}) during ${method}`, undefined, how);

  // Calls in flight, so that a dying host fails them at once instead of leaving them to gRPC's timeouts.
  const pending = new Set<{ method: string; reject: (e: Error) => void }>();
  void exited.then((how) => {
    for (const p of pending) p.reject(died(p.method, how));
    pending.clear();
  });

  function initFailure(error: any): InitFailure | undefined {
    const details = error.metadata?.get?.("grpc-status-details-bin")?.[0];
    if (!details) return undefined;
    for (const any of m.status.Status.deserializeBinary(details).getDetailsList()) {
      if (!any.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
      const detail = m.messages.ErrorResourceInitFailed.deserializeBinary(any.getValue());
      return { id: detail.getId(), properties: props(detail.getProperties()), reasons: detail.getReasonsList() };
    }
    return undefined;
  }

  const call = <T>(method: string, request: any): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (ended) return reject(died(method, ended));
      const entry = { method, reject };
      pending.add(entry);
      client[method](request, async (error: any, response: T) => {
        if (!error) {
          pending.delete(entry);
          return resolve(response);
        }
        // The broken connection is often seen a moment before the exit: give the exit a chance to explain it.
        if (TRANSPORT_CODES.has(error.code) && !ended) await Promise.race([exited, new Promise((r) => setTimeout(r, 1_000))]);
        pending.delete(entry);
        if (ended) return reject(died(method, ended));
        reject(new HostError(String(error.details || error.message || error), initFailure(error)));
      });
    });

  const M = m.messages;
  const DIFF = M.DiffResponse.DiffChanges;
  return {
    pid: child.pid!,
    stdout,
    stderr,
    exited,
    async configure(config) {
      const req = new M.ConfigureRequest();
      req.setArgs(struct(config));
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      const res: any = await call("configure", req);
      return { acceptSecrets: res.getAcceptsecrets(), acceptResources: res.getAcceptresources(), supportsPreview: res.getSupportspreview() };
    },
    async check(urn, olds, news) {
      const req = new M.CheckRequest();
      req.setUrn(urn);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res: any = await call("check", req);
      return {
        inputs: props(res.getInputs()),
        failures: res.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(id, urn, olds, news) {
      const req = new M.DiffRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res: any = await call("diff", req);
      const changes = res.getChanges() === DIFF.DIFF_SOME ? "some" : res.getChanges() === DIFF.DIFF_NONE ? "none" : "unknown";
      return { changes, diffs: res.getDiffsList(), replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
    },
    async create(urn, properties) {
      const req = new M.CreateRequest();
      req.setUrn(urn);
      req.setProperties(struct(properties));
      const res: any = await call("create", req);
      return { id: res.getId(), properties: props(res.getProperties()) };
    },
    async read(id, urn, properties, inputs) {
      const req = new M.ReadRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setProperties(struct(properties));
      if (inputs) req.setInputs(struct(inputs));
      const res: any = await call("read", req);
      return { id: res.getId(), properties: props(res.getProperties()), ...(res.hasInputs() ? { inputs: props(res.getInputs()) } : {}) };
    },
    async update(id, urn, olds, news) {
      const req = new M.UpdateRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res: any = await call("update", req);
      return { properties: props(res.getProperties()) };
    },
    async delete(id, urn, properties) {
      const req = new M.DeleteRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setProperties(struct(properties));
      await call("delete", req);
    },
    async kill(signal: NodeJS.Signals = "SIGTERM") {
      client.close();
      if (!ended) child.kill(signal);
      await exited;
      // Whatever the host printed before it went is collected by the time kill resolves.
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1_000))]);
    },
  };
}
