// `pulumi-language-nodejs` for the real-CLI policy tests: a front that starts the language host the build
// provides (the next `pulumi-language-nodejs` on PATH), passes every LanguageRuntime call through to it
// unchanged, and answers one itself: RunPlugin for a policy pack, which the 3.68 language host (the newest
// the Go module proxy serves, see test/cli/README.md) refuses with "not supported".
//
// What it does for a policy pack is what the 3.248 language host does (pulumi-language-nodejs RunPlugin,
// kind "analyzer"): run `node <@pulumi/pulumi/cmd/run-policy-pack> <engine args…> <pack folder>` with the
// pack folder as working directory and the CLI's environment, the module found from the pack folder; its
// stdout and stderr go back as the call's stream (the CLI reads the pack's port from the first stdout
// line), then its exit code. Left out: the 3.248 host's proxy that hands the stack's config to the pack as
// PULUMI_CONFIG; this package's pack reads its own policy config only.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const grpc = require("@grpc/grpc-js");
const { LanguageRuntimeService } = require("@pulumi/pulumi/proto/language_grpc_pb");
const language = require("@pulumi/pulumi/proto/language_pb");

const same = (b: Buffer) => b;

/** The language host behind this front: the first `pulumi-language-nodejs` on PATH that is not this one. */
function hostBehind(): string {
  const self = fs.realpathSync(path.join(__dirname, "pulumi-language-nodejs"));
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "pulumi-language-nodejs");
    if (fs.existsSync(candidate) && fs.realpathSync(candidate) !== self) return candidate;
  }
  throw new Error("pulumi-language-nodejs (test front): no language host on PATH to pass calls to");
}

function envOf(list: string[]): NodeJS.ProcessEnv {
  if (list.length === 0) return process.env;
  return Object.fromEntries(list.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
}

/** RunPlugin for a policy pack, as the 3.248 host runs one. */
function runPolicyPack(call: any): void {
  const req = language.RunPluginRequest.deserializeBinary(call.request);
  const packDir: string = req.getInfo().getProgramDirectory();
  const send = (set: (r: any) => void) => {
    const res = new language.RunPluginResponse();
    set(res);
    call.write(Buffer.from(res.serializeBinary()));
  };
  let runner: string;
  try {
    runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  } catch {
    call.destroy(Object.assign(new Error(`could not find @pulumi/pulumi/cmd/run-policy-pack from ${packDir}`), { code: grpc.status.FAILED_PRECONDITION }));
    return;
  }
  const child = spawn(process.execPath, [runner, ...req.getArgsList(), packDir], { cwd: packDir, env: envOf(req.getEnvList()), stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk: Buffer) => send((r) => r.setStdout(chunk)));
  child.stderr.on("data", (chunk: Buffer) => send((r) => r.setStderr(chunk)));
  child.on("close", (code) => {
    send((r) => r.setExitcode(code ?? 1));
    call.end();
  });
  call.on("cancelled", () => child.kill());
}

/** Serves the front; resolves with its port. */
function serve(hostPort: string): Promise<number> {
  const host = new grpc.Client(`127.0.0.1:${hostPort}`, grpc.credentials.createInsecure());
  const definition: Record<string, unknown> = {};
  const handlers: Record<string, unknown> = {};
  for (const [name, method] of Object.entries<any>(LanguageRuntimeService)) {
    // Raw bytes both ways: the host's answers, its errors and UNIMPLEMENTED included, reach the CLI as they are.
    definition[name] = { ...method, requestSerialize: same, requestDeserialize: same, responseSerialize: same, responseDeserialize: same };
    const passStream = (call: any) => {
      const upstream = host.makeServerStreamRequest(method.path, same, same, call.request, call.metadata);
      upstream.on("data", (d: Buffer) => call.write(d));
      upstream.on("end", () => call.end());
      upstream.on("error", (e: Error) => call.destroy(e));
      call.on("cancelled", () => upstream.cancel());
    };
    if (name === "runPlugin") {
      handlers[name] = (call: any) => (language.RunPluginRequest.deserializeBinary(call.request).getKind() === "analyzer" ? runPolicyPack(call) : passStream(call));
    } else if (method.responseStream) {
      handlers[name] = passStream;
    } else {
      handlers[name] = (call: any, callback: any) => host.makeUnaryRequest(method.path, same, same, call.request, call.metadata, callback);
    }
  }
  const server = new grpc.Server();
  server.addService(definition, handlers);
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error: Error | null, port: number) => (error ? reject(error) : resolve(port))),
  );
}

// Start the host with the CLI's arguments. Its first stdout line is its port; the CLI must read the front's
// port first, so what the host prints after that waits until the front is serving, then passes through.
const real = spawn(hostBehind(), process.argv.slice(2), { stdio: ["inherit", "pipe", "inherit"] });
real.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
let head = "";
const firstLine = (chunk: Buffer) => {
  head += chunk.toString();
  const end = head.indexOf("\n");
  if (end < 0) return;
  real.stdout.off("data", firstLine);
  real.stdout.pause();
  serve(head.slice(0, end).trim()).then(
    (port) => {
      process.stdout.write(`${port}\n${head.slice(end + 1)}`);
      real.stdout.pipe(process.stdout);
    },
    (error: Error) => {
      process.stderr.write(`pulumi-language-nodejs (test front): ${error.message}\n`);
      process.exit(1);
    },
  );
};
real.stdout.on("data", firstLine);
