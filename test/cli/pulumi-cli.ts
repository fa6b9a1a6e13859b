// `npm run pulumi-cli -- ARGS...`: the real Pulumi CLI with ARGS, in the offline project-local environment of
// environment.ts. A `pulumi` 3.248+ on PATH is used as it is; otherwise the pinned release is built from Go
// modules once (see go-build.ts). The first line (on stderr) says which CLI, language host and plugin double run.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { cliEnvironment, defaultPaths } from "./environment";
import { BuildError, describeToolchain, findToolchain } from "./toolchain";

async function main(): Promise<number> {
  let toolchain;
  try {
    toolchain = await findToolchain({ say: (line) => process.stderr.write(`pulumi-cli: ${line}\n`) });
  } catch (error) {
    if (error instanceof BuildError) {
      process.stderr.write(`pulumi-cli: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (!toolchain) return 1;
  process.stderr.write(`pulumi-cli: ${describeToolchain(toolchain)}\n`);
  const paths = defaultPaths();
  for (const dir of Object.values(paths)) fs.mkdirSync(dir, { recursive: true });
  const child = spawn(toolchain.pulumi, process.argv.slice(2), { stdio: "inherit", env: cliEnvironment(toolchain, process.env, paths) });
  // Ctrl-C reaches the CLI itself through the terminal's process group (a second one would make it stop at
  // once, without saving its state): wait for it here. A SIGTERM sent to this process alone is passed on.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 1))));
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`pulumi-cli: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  },
);
