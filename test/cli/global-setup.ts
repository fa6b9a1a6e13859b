// Before any real-CLI suite starts: find the CLI, or build it (minutes, the first time on a machine). On this
// project's machines Go is present, so a CLI that cannot be had fails the run instead of skipping it.
import { describeToolchain, findToolchain } from "./toolchain";

export default async function setup(): Promise<void> {
  const toolchain = await findToolchain({ say: (line) => process.stderr.write(`test:cli: ${line}\n`) });
  if (!toolchain) throw new Error("no Pulumi CLI found or built");
  process.stderr.write(`test:cli: ${describeToolchain(toolchain)}\n`);
}
