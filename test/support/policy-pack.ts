// The shipped policy pack started as the Pulumi CLI starts a Node.js pack (through its language host):
// `node @pulumi/pulumi/cmd/run-policy-pack <engine-address> <pack folder>` with the pack folder as working
// directory, the port read from the first line of stdout; then the engine's Analyzer calls over gRPC.
// No CLI needed, so `npm test` proves the folder users point `--policy-pack` at loads and answers.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const grpc = require("@grpc/grpc-js");
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzer = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

/** Where users point `--policy-pack`: the package's policy/ folder as npm installs it. */
export const PACK_DIR = path.resolve(__dirname, "..", "..", "node_modules", "pulumi-alicloud-renewal", "policy");

export const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;
export type Level = (typeof LEVELS)[number];

export interface StackResource {
  type: string;
  urn: string;
  props: Record<string, unknown>;
  ignoreChanges?: string[];
  parent?: string;
  propertyDependencies?: Record<string, string[]>;
}

export interface Diagnostic {
  policy: string;
  level: Level;
  message: string;
  urn: string;
}

export interface RunningPack {
  info(): Promise<{ name: string; version: string; policies: Array<{ name: string; level: Level; configSchema?: Record<string, unknown> }> }>;
  /** Policy name → level, or { enforcementLevel, ...properties }, as `--policy-pack-config` gives them. */
  configure(config: Record<string, Level | ({ enforcementLevel?: Level } & Record<string, unknown>)>): Promise<void>;
  analyze(resource: StackResource): Promise<Diagnostic[]>;
  analyzeStack(resources: StackResource[]): Promise<Diagnostic[]>;
  stop(): Promise<void>;
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

function options(r: StackResource) {
  const o = new analyzer.AnalyzerResourceOptions();
  o.setIgnorechangesList(r.ignoreChanges ?? []);
  if (r.parent) o.setParent(r.parent);
  return o;
}

/** The fields an AnalyzeRequest and a stack's AnalyzerResource share, filled in on `m`. */
function withResource<M>(m: M, r: StackResource): M {
  const message = m as any;
  message.setType(r.type);
  message.setUrn(r.urn);
  message.setName(nameOf(r.urn));
  message.setProperties(Struct.fromJavaScript(r.props));
  message.setOptions(options(r));
  return m;
}

function stackResource(r: StackResource) {
  const m = withResource(new analyzer.AnalyzerResource(), r);
  if (r.parent) m.setParent(r.parent);
  for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
    const deps = new analyzer.AnalyzerPropertyDependencies();
    deps.setUrnsList(urns);
    m.getPropertydependenciesMap().set(key, deps);
  }
  m.setDependenciesList([...new Set(Object.values(r.propertyDependencies ?? {}).flat())]);
  return m;
}

const diagnostics = (res: any): Diagnostic[] =>
  res.getDiagnosticsList().map((d: any) => ({ policy: d.getPolicyname(), level: LEVELS[d.getEnforcementlevel()], message: d.getMessage(), urn: d.getUrn() }));

export async function startPolicyPack(): Promise<RunningPack> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
  const child: ChildProcess = spawn(process.execPath, [runner, "127.0.0.1:0", PACK_DIR], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0]!.trim());
    });
    child.once("exit", (code) => reject(new Error(`the policy pack exited with ${code} before serving:\n${stderr}`)));
  });
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = <T>(method: string, req: unknown) =>
    new Promise<T>((resolve, reject) => client[method](req, (err: Error | null, res: T) => (err ? reject(new Error(`${method}: ${err.message}\n${stderr}`)) : resolve(res))));

  return {
    async info() {
      const res: any = await call("getAnalyzerInfo", new Empty());
      return {
        name: res.getName(),
        version: res.getVersion(),
        policies: res.getPoliciesList().map((p: any) => ({
          name: p.getName(),
          level: LEVELS[p.getEnforcementlevel()],
          ...(p.getConfigschema() ? { configSchema: p.getConfigschema().getProperties().toJavaScript() } : {}),
        })),
      };
    },
    async configure(config) {
      const req = new analyzer.ConfigureAnalyzerRequest();
      for (const [policy, value] of Object.entries(config)) {
        const { enforcementLevel, ...properties } = typeof value === "string" ? { enforcementLevel: value } : value;
        const c = new analyzer.PolicyConfig();
        c.setEnforcementlevel(LEVELS.indexOf(enforcementLevel ?? "advisory"));
        c.setProperties(Struct.fromJavaScript(properties));
        req.getPolicyconfigMap().set(policy, c);
      }
      await call("configure", req);
    },
    async analyze(r) {
      return diagnostics(await call("analyze", withResource(new analyzer.AnalyzeRequest(), r)));
    },
    async analyzeStack(resources) {
      const req = new analyzer.AnalyzeStackRequest();
      req.setResourcesList(resources.map(stackResource));
      return diagnostics(await call("analyzeStack", req));
    },
    async stop() {
      client.close();
      if (child.exitCode === null) child.kill();
      await exited;
    },
  };
}
