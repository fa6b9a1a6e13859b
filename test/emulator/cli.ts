// `npm run emulator -- --port N --fleet FILE [--access-key-id ID --access-key-secret SECRET] [--read-only-key ID:SECRET] [--quiet]`
import { parseArgs } from "node:util";
import { DEFAULT_KEY, startEmulator } from "./index";
import type { EmulatorKey } from "./signature";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8080" },
      fleet: { type: "string" },
      "access-key-id": { type: "string" },
      "access-key-secret": { type: "string" },
      "read-only-key": { type: "string", multiple: true },
      "expiry-delay-ms": { type: "string" },
      quiet: { type: "boolean", default: false },
    },
  });
  const keys: EmulatorKey[] = [
    values["access-key-id"] ? { accessKeyId: values["access-key-id"], accessKeySecret: values["access-key-secret"] ?? "" } : DEFAULT_KEY,
    ...(values["read-only-key"] ?? []).map((pair) => {
      const [accessKeyId, accessKeySecret] = pair.split(":");
      return { accessKeyId, accessKeySecret, readOnly: true };
    }),
  ];
  const emulator = await startEmulator({
    port: Number(values.port),
    fleet: values.fleet,
    keys,
    quiet: values.quiet,
    expiryVisibilityDelayMs: values["expiry-delay-ms"] ? Number(values["expiry-delay-ms"]) : undefined,
  });
  process.stdout.write(`ECS emulator listening on ${emulator.url}\n`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
