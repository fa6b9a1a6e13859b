// `npm run engine -- <preview|up|refresh|destroy> --cwd DIR --stack NAME [--state FILE] [--config key=value]... [--parallel N] [--json]`
import path from "node:path";
import { parseArgs } from "node:util";
import { ecsInstanceHandler } from "./alicloud";
import type { EngineOperation } from "./display";
import { execute, registerResourceHandler } from "./engine";

registerResourceHandler("alicloud:ecs/instance:Instance", ecsInstanceHandler);

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      cwd: { type: "string", default: "." },
      stack: { type: "string", default: "dev" },
      state: { type: "string" },
      config: { type: "string", multiple: true },
      parallel: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const operation = positionals[0] as EngineOperation;
  if (!["preview", "up", "refresh", "destroy"].includes(operation)) {
    process.stderr.write("usage: engine <preview|up|refresh|destroy> --cwd DIR --stack NAME [--state FILE] [--config key=value]... [--parallel N] [--json]\n");
    return 2;
  }
  const config: Record<string, string> = {};
  for (const pair of values.config ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) {
      process.stderr.write(`--config: "${pair}" is not key=value\n`);
      return 2;
    }
    config[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const result = await execute(operation, {
    cwd: path.resolve(values.cwd!),
    stack: values.stack!,
    stateFile: values.state && path.resolve(values.state),
    config,
    parallel: values.parallel ? Number(values.parallel) : undefined,
  });
  const { text: _text, ...plan } = result;
  // Exit only once the output is flushed: a pipe takes large writes asynchronously.
  await new Promise<void>((resolve) => process.stdout.write(values.json ? JSON.stringify(plan) + "\n" : result.text, () => resolve()));
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
