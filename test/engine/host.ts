// A typed gRPC client for the real dynamic-provider host shipped in @pulumi/pulumi
// (cmd/dynamic-provider): spawned as the Pulumi engine spawns `pulumi-resource-pulumi-nodejs`, port read
// from its first stdout line, then Configure / Check / Diff / Create / Read / Update / Delete.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

/** Pulumi's marker for a value not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface DiffAnswer {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

type Props = Record<string, any>;

/** An error from the host; `initFailed` is set when the resource exists but did not finish (keep it in state). */
export class HostError extends Error {
  constructor(
    message: string,
    readonly initFailed?: { id: string; properties: Props; reasons: string[] },
  ) {
    super(message);
    this.name = "HostError";
  }
}

export interface ProviderHost {
  readonly pid: number;
  readonly stdout: string[];
  readonly stderr: string[];
  configure(config: Record<string, string>): Promise<void>;
  check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }>;
  diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffAnswer>;
  create(urn: string, props: Props): Promise<{ id: string; properties: Props }>;
  read(id: string, urn: string, props: Props, inputs?: Props): Promise<{ id: string; properties: Props; inputs?: Props }>;
  update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }>;
  delete(id: string, urn: string, props: Props): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartProviderHostOptions {
  /** Where the program lives: the host resolves `require("pulumi-alicloud-renewal/…")` from here. */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Each line the host prints after its port (the engine shows these as diagnostics). */
  onOutput?: (stream: "stdout" | "stderr", line: string) => void;
}

/** Loads a module from the @pulumi/pulumi that `cwd` resolves, so protobuf classes match the host's. */
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

export async function startProviderHost(options: StartProviderHostOptions): Promise<ProviderHost> {
  const m = pulumiModules(options.cwd);
  const child: ChildProcess = spawn(process.execPath, [path.join(m.root, "cmd", "dynamic-provider", "index.js"), "127.0.0.1:0"], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", (code, signal) => {
      exited = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    }),
  );

  const port = await new Promise<number>((resolve, reject) => {
    let first = true;
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (first) {
        first = false;
        const n = Number(line.trim());
        if (Number.isInteger(n) && n > 0) resolve(n);
        else reject(new Error(`provider host printed "${line}" instead of its port`));
        return;
      }
      stdout.push(line);
      options.onOutput?.("stdout", line);
    });
    readline.createInterface({ input: child.stderr! }).on("line", (line) => {
      stderr.push(line);
      options.onOutput?.("stderr", line);
    });
    void exit.then(() => reject(new Error(`provider host ended before printing its port (${exited}): ${stderr.join("\n")}`)));
  });

  const client = new m.services.ResourceProviderClient(`127.0.0.1:${port}`, m.grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": 64 * 1024 * 1024,
  });
  const struct = (o: Props) => m.struct.Struct.fromJavaScript(o);
  const plain = (s: any): Props => (s ? s.toJavaScript() : {});

  /** One unary call; a dead host or a provider error becomes a HostError with the provider's message. */
  const call = <T>(method: string, request: any): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      client[method](request, async (error: any, response: T) => {
        if (!error) return resolve(response);
        // A dying host often breaks the connection a moment before its exit is seen.
        if (!exited && error.code === m.grpc.status.UNAVAILABLE) await Promise.race([exit, new Promise((r) => setTimeout(r, 1_000))]);
        if (exited) return reject(new HostError(`provider host died (${exited}) during ${method}`));
        const details = error.metadata?.get?.("grpc-status-details-bin")?.[0];
        let initFailed: HostError["initFailed"];
        if (details) {
          const status = m.status.Status.deserializeBinary(details);
          for (const any of status.getDetailsList()) {
            if (any.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) {
              const detail = m.messages.ErrorResourceInitFailed.deserializeBinary(any.getValue());
              initFailed = { id: detail.getId(), properties: plain(detail.getProperties()), reasons: detail.getReasonsList() };
            }
          }
        }
        const message = error.details || error.message || String(error);
        reject(new HostError(message.replace(/^\d+ [A-Z_]+: /, ""), initFailed));
      });
    });

  const M = m.messages;
  return {
    pid: child.pid!,
    stdout,
    stderr,
    async configure(config) {
      const req = new M.ConfigureRequest();
      req.setArgs(struct(config));
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      await call("configure", req);
    },
    async check(urn, olds, news) {
      const req = new M.CheckRequest();
      req.setUrn(urn);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res: any = await call("check", req);
      return {
        inputs: plain(res.getInputs()),
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
      const changes = res.getChanges() === M.DiffResponse.DiffChanges.DIFF_SOME ? "some" : res.getChanges() === M.DiffResponse.DiffChanges.DIFF_NONE ? "none" : "unknown";
      return { changes, replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
    },
    async create(urn, props) {
      const req = new M.CreateRequest();
      req.setUrn(urn);
      req.setProperties(struct(props));
      const res: any = await call("create", req);
      return { id: res.getId(), properties: plain(res.getProperties()) };
    },
    async read(id, urn, props, inputs) {
      const req = new M.ReadRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setProperties(struct(props));
      if (inputs) req.setInputs(struct(inputs));
      const res: any = await call("read", req);
      return { id: res.getId(), properties: plain(res.getProperties()), ...(res.hasInputs() ? { inputs: plain(res.getInputs()) } : {}) };
    },
    async update(id, urn, olds, news) {
      const req = new M.UpdateRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res: any = await call("update", req);
      return { properties: plain(res.getProperties()) };
    },
    async delete(id, urn, props) {
      const req = new M.DeleteRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setProperties(struct(props));
      await call("delete", req);
    },
    async kill(signal: NodeJS.Signals = "SIGTERM") {
      client.close();
      if (!exited) {
        child.kill(signal);
        await exit;
      }
    },
  };
}
