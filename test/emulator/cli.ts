// npm run emulator -- [--port N] [--host H] [--fleet FILE] [--access-key-id ID --access-key-secret SECRET]
//   [--read-only-key ID:SECRET]… [--sts-key ID:SECRET:TOKEN]… [--now ISO] [--expiry-delay-ms N] [--quiet]
// First stdout line: "ECS emulator listening on http://HOST:PORT". One line per call on stderr unless --quiet.
import { parseArgs } from "node:util";
import { DEFAULT_KEY, startEmulator, type EmulatorKey } from "./index";

const USAGE =
  "usage: npm run emulator -- [--port 8080] [--host 127.0.0.1] [--fleet FILE] [--access-key-id ID --access-key-secret SECRET] " +
  "[--read-only-key ID:SECRET]... [--sts-key ID:SECRET:TOKEN]... [--now ISO] [--expiry-delay-ms 500] [--quiet]";

class UsageError extends Error {}

/** Splits "a:b:c" into `n` parts; the last part keeps any further colons (secrets may contain them). */
function split(value: string, n: number, flag: string): string[] {
  const parts: string[] = [];
  let rest = value;
  for (let i = 0; i < n - 1; i++) {
    const at = rest.indexOf(":");
    if (at <= 0) throw new UsageError(`${flag} takes ${n === 2 ? "ID:SECRET" : "ID:SECRET:TOKEN"}, not ${JSON.stringify(value)}`);
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  if (!rest) throw new UsageError(`${flag}: the last part is empty in ${JSON.stringify(value)}`);
  return [...parts, rest];
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes a whole number >= 0, not ${JSON.stringify(value)}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8080" },
      host: { type: "string" },
      fleet: { type: "string" },
      "access-key-id": { type: "string" },
      "access-key-secret": { type: "string" },
      "read-only-key": { type: "string", multiple: true },
      "sts-key": { type: "string", multiple: true },
      now: { type: "string" },
      "expiry-delay-ms": { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (Boolean(values["access-key-id"]) !== Boolean(values["access-key-secret"])) throw new UsageError("--access-key-id and --access-key-secret go together");
  const keys: EmulatorKey[] = [
    values["access-key-id"] ? { accessKeyId: values["access-key-id"], accessKeySecret: values["access-key-secret"]! } : DEFAULT_KEY,
    ...(values["read-only-key"] ?? []).map((v) => {
      const [accessKeyId, accessKeySecret] = split(v, 2, "--read-only-key");
      return { accessKeyId, accessKeySecret, readOnly: true };
    }),
    ...(values["sts-key"] ?? []).map((v) => {
      const [accessKeyId, accessKeySecret, securityToken] = split(v, 3, "--sts-key");
      return { accessKeyId, accessKeySecret, securityToken };
    }),
  ];
  if (values.now !== undefined && Number.isNaN(new Date(values.now).getTime())) throw new UsageError(`--now takes an ISO time, not ${JSON.stringify(values.now)}`);
  const emulator = await startEmulator({
    port: number(values.port, "--port"),
    host: values.host,
    fleet: values.fleet,
    keys,
    now: values.now,
    quiet: values.quiet,
    expiryVisibilityDelayMs: number(values["expiry-delay-ms"], "--expiry-delay-ms"),
  });
  process.stdout.write(`ECS emulator listening on ${emulator.url}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  process.stderr.write(`${(error as Error).message}\n${usage ? `${USAGE}\n` : ""}`);
  process.exit(usage ? 2 : 1);
});
