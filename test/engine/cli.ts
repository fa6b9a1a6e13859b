// `npm run engine -- <preview|up|refresh|destroy> --cwd DIR --stack NAME [--state FILE] [--config key=value]... [--parallel N] [--target URN]... [--refresh] [--json]`
import path from "node:path";
import { parseArgs } from "node:util";
import { runEngine, type EngineOperation } from "./index";

const USAGE = "usage: engine <preview|up|refresh|destroy> --cwd DIR --stack NAME [--state FILE] [--config key=value]... [--parallel N] [--target URN]... [--refresh] [--json]\n";

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        cwd: { type: "string", default: "." },
        stack: { type: "string", default: "dev" },
        state: { type: "string" },
        config: { type: "string", multiple: true },
        parallel: { type: "string" },
        target: { type: "string", multiple: true },
        refresh: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const operation = positionals[0] as EngineOperation;
  if (positionals.length !== 1 || !["preview", "up", "refresh", "destroy"].includes(operation)) {
    process.stderr.write(USAGE);
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
  const parallel = values.parallel === undefined ? undefined : Number(values.parallel);
  if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 0)) {
    process.stderr.write(`--parallel: "${values.parallel}" is not a whole number\n`);
    return 2;
  }
  const result = await runEngine(operation, {
    cwd: path.resolve(values.cwd!),
    stack: values.stack!,
    stateFile: values.state && path.resolve(values.state),
    config,
    parallel,
    targets: values.target,
    refresh: values.refresh,
  });
  const { operation: op, ok, error, steps, summary, diagnostics, outputs, stateFile } = result;
  const out = values.json ? JSON.stringify({ operation: op, ok, ...(error ? { error } : {}), steps, summary, diagnostics, outputs, stateFile }) + "\n" : result.text;
  // Exit only once the output is flushed: a pipe takes large writes asynchronously.
  await new Promise<void>((resolve) => process.stdout.write(out, () => resolve()));
  if (result.stderr) process.stderr.write(`${result.stderr}\n`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
