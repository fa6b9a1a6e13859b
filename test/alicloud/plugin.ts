// `pulumi-resource-alicloud` for tests: a resource-provider plugin the real Pulumi CLI loads in place of the
// bridged alicloud provider. It serves the engine's gRPC protocol with the service definition and messages
// @pulumi/pulumi ships (pulumirpc.ResourceProvider); methods it leaves out answer UNIMPLEMENTED, which the
// engine takes as "not supported". It knows one type, alicloud:ecs/instance:Instance (instance.ts).
//
// The protocol, as the engine drives a plugin: start it with the engine's address as an argument, read the
// port from its first stdout line, then Configure (the stack's `alicloud:*` config), Check, Diff, Create,
// Read, Update, Delete. stderr lines become the engine's diagnostics; nothing secret is ever printed.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { INSTANCE_TYPE, instanceResource, type AlicloudConfig, type InstanceContext, type Props } from "./instance";

/** The version @pulumi/alicloud 3.108.0 asks the engine for; the double answers for that release. */
export const PLUGIN_VERSION = "3.108.0";

const grpc = require("@grpc/grpc-js");
const { ResourceProviderService } = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provider = require("@pulumi/pulumi/proto/provider_pb");
const plugin = require("@pulumi/pulumi/proto/plugin_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

const toStruct = (o: Props) => Struct.fromJavaScript(JSON.parse(JSON.stringify(o ?? {})));
const fromStruct = (s: any): Props => (s ? s.toJavaScript() : {});
const typeOf = (urn: string) => urn.split("::")[2]?.split("$").pop();

/** Configure's arguments arrive as a struct (newer engines) and as `alicloud:config:key` variables (older ones). */
function configFrom(req: any): AlicloudConfig {
  const args = fromStruct(req.getArgs());
  const config: Record<string, string> = {};
  for (const [key, value] of req.getVariablesMap().entries()) config[key.replace(/^alicloud:config:/, "")] = value;
  for (const [key, value] of Object.entries(args)) if (typeof value === "string") config[key] = value;
  return config;
}

type Handler = (req: any) => Promise<any> | any;

/** A unary gRPC method from an async function: errors go back as the call's status, with the message. */
const unary = (handler: Handler) => (call: any, callback: (err: any, res?: any) => void) => {
  Promise.resolve()
    .then(() => handler(call.request))
    .then(
      (res) => callback(null, res),
      (error) => callback({ code: grpc.status.UNKNOWN, details: error instanceof Error ? error.message : String(error) }),
    );
};

export function serve(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const ctx: InstanceContext = { config: {}, env };
  const known = (urn: string) => {
    if (typeOf(urn) !== INSTANCE_TYPE) throw new Error(`the alicloud test double has no resource type ${typeOf(urn)}; it models ${INSTANCE_TYPE} only`);
  };
  const diffResponse = (changes: boolean, diffs: string[]) => {
    const res = new provider.DiffResponse();
    res.setChanges(changes ? provider.DiffResponse.DiffChanges.DIFF_SOME : provider.DiffResponse.DiffChanges.DIFF_NONE);
    res.setDiffsList(diffs);
    return res;
  };

  const service = {
    getPluginInfo: unary(() => {
      const info = new plugin.PluginInfo();
      info.setVersion(PLUGIN_VERSION);
      return info;
    }),
    configure: unary((req) => {
      ctx.config = configFrom(req);
      const res = new provider.ConfigureResponse();
      // Plain values only: the engine unwraps secrets and passes resources by id.
      res.setAcceptsecrets(false);
      res.setAcceptresources(false);
      res.setSupportspreview(false);
      return res;
    }),
    checkConfig: unary((req) => {
      const res = new provider.CheckResponse();
      res.setInputs(req.getNews());
      return res;
    }),
    diffConfig: unary((req) => {
      const olds = fromStruct(req.getOldinputs?.() ?? req.getOlds());
      const news = fromStruct(req.getNews());
      const diffs = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
      return diffResponse(diffs.length > 0, diffs);
    }),
    check: unary((req) => {
      known(req.getUrn());
      const { inputs, failures } = instanceResource.check(fromStruct(req.getOlds()), fromStruct(req.getNews()));
      const res = new provider.CheckResponse();
      res.setInputs(toStruct(inputs));
      res.setFailuresList(
        failures.map((f) => {
          const failure = new provider.CheckFailure();
          failure.setProperty(f.property);
          failure.setReason(f.reason);
          return failure;
        }),
      );
      return res;
    }),
    diff: unary((req) => {
      known(req.getUrn());
      const { changes, diffs } = instanceResource.diff(fromStruct(req.getOlds()), fromStruct(req.getNews()));
      return diffResponse(changes, diffs);
    }),
    create: unary(async (req) => {
      known(req.getUrn());
      const { id, outputs } = await instanceResource.create(fromStruct(req.getProperties()), ctx);
      const res = new provider.CreateResponse();
      res.setId(id);
      res.setProperties(toStruct(outputs));
      return res;
    }),
    read: unary(async (req) => {
      known(req.getUrn());
      const found = await instanceResource.read(req.getId(), fromStruct(req.getProperties()), ctx);
      const res = new provider.ReadResponse();
      // An empty id tells the engine the resource is gone.
      if (found) {
        res.setId(req.getId());
        res.setProperties(toStruct(found.outputs));
        res.setInputs(toStruct(found.inputs));
      }
      return res;
    }),
    update: unary(async (req) => {
      known(req.getUrn());
      const outputs = await instanceResource.update(req.getId(), fromStruct(req.getOlds()), fromStruct(req.getNews()), ctx);
      const res = new provider.UpdateResponse();
      res.setProperties(toStruct(outputs));
      return res;
    }),
    delete: unary(async (req) => {
      known(req.getUrn());
      await instanceResource.delete(req.getId(), ctx);
      return new Empty();
    }),
    cancel: unary(() => new Empty()),
  };

  const server = new grpc.Server();
  server.addService(ResourceProviderService, service);
  return new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error: Error | null, port: number) => (error ? reject(error) : resolve(port))),
  );
}

if (require.main === module) {
  serve().then(
    // The engine reads the port from the first line of stdout.
    (port) => process.stdout.write(`${port}\n`),
    (error) => {
      process.stderr.write(`pulumi-resource-alicloud (test double): ${error instanceof Error ? error.message : error}\n`);
      process.exit(1);
    },
  );
}
