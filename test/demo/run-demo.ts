// `npm run demo [-- --engine real|local]`: the root Pulumi.yaml program (examples/auto-renew-existing) against
// the embedded ECS emulator, narrated step by step. It runs under the real Pulumi CLI when one is at hand (a
// pulumi 3.248+ on PATH, or the one `npm run pulumi-cli` built), else under the local engine (test/engine);
// the first lines say which.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { runEngine, type EngineOperation } from "../engine";
import { emulatorEnv } from "../cli/scenario";
import { CliStack } from "../cli/stack";
import { describeToolchain, findToolchain } from "../cli/toolchain";
import { writeHtmlReport } from "./report";

const ROOT = path.resolve(__dirname, "..", "..");
const FLEET = path.join(ROOT, "test", "emulator", "fleets", "demo.json");

interface DemoEngine {
  /** What the first lines say. */
  description: string;
  /** `pulumi config set KEY VALUE` (the project's namespace). */
  configSet(key: string, value: string): Promise<void>;
  /** The operation's output, as the engine prints it. */
  run(operation: EngineOperation): Promise<string>;
  close(): void;
}

async function realCli(emulator: Emulator): Promise<DemoEngine | undefined> {
  const toolchain = await findToolchain({ build: false });
  if (!toolchain) return undefined;
  const stack = await CliStack.create(ROOT, { stack: "demo", env: emulatorEnv(emulator) });
  return {
    description: `the real ${describeToolchain(toolchain)}`,
    configSet: (key, value) => stack.configSet(key, value),
    async run(operation) {
      const r = await stack.run(operation);
      return r.stdout + r.stderr;
    },
    close: () => stack.remove(),
  };
}

function localEngine(emulator: Emulator): DemoEngine {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "renewal-demo-"));
  const config: Record<string, string> = {};
  return {
    description: "the local engine (test/engine): no Pulumi CLI 3.248+ on PATH and none built; `npm run pulumi-cli -- version` builds one",
    async configSet(key, value) {
      config[key] = value;
    },
    async run(operation) {
      const result = await runEngine(operation, { cwd: ROOT, stack: "demo", stateFile: path.join(stateDir, "demo.json"), config: { ...config }, env: emulatorEnv(emulator) });
      return result.text;
    },
    close: () => fs.rmSync(stateDir, { recursive: true, force: true }),
  };
}

function say(title: string, detail = ""): void {
  process.stdout.write(`\n\x1b[1m== ${title}\x1b[0m${detail ? `\n   ${detail}` : ""}\n\n`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const wanted = process.argv.includes("--engine") ? process.argv[process.argv.indexOf("--engine") + 1] : undefined;
  if (wanted && wanted !== "real" && wanted !== "local") throw new Error(`--engine: "${wanted}" is not one of real, local`);
  const emulator = await startEmulator({ fleet: FLEET, quiet: true });
  let engine: DemoEngine | undefined;
  try {
    engine = wanted === "local" ? localEngine(emulator) : await realCli(emulator);
    if (!engine && wanted === "real") throw new Error("--engine real: no Pulumi CLI 3.248+ on PATH and none built; run `npm run pulumi-cli -- version` first");
    engine ??= localEngine(emulator);
    process.stdout.write(`Engine: ${engine.description}\n`);
    const ids = ["i-bp1demo000000000001", "i-bp1demo000000000002", "i-bp1demo000000000003"];
    const show = () =>
      ids.map((id) => {
        const i = emulator.instance(id)!;
        return `   ${id}  ${i.renewalStatus}${i.renewalStatus === "AutoRenewal" ? ` ${i.duration} ${i.periodUnit}` : ""}  expires ${i.expiredTime}`;
      }).join("\n");
    const run = async (op: EngineOperation) => {
      const text = await engine!.run(op);
      process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    };

    say("The demo fleet in the ECS emulator", `listening on ${emulator.url}`);
    console.log(show());

    say("pulumi preview", "what `pulumi up` would do; nothing is written");
    await run("preview");
    say("pulumi up", "turn on auto-renew for the three instances");
    await run("up");
    console.log(show());

    say("pulumi config set autoRenewDuration 3 && pulumi preview", "the diff a reviewer sees in the pull request");
    await engine.configSet("autoRenewDuration", "3");
    await run("preview");
    say("pulumi up");
    await run("up");
    console.log(show());

    say("Someone turns auto-renew off in the console", "i-bp1demo000000000002 set to Normal behind the stack's back");
    emulator.putInstance({ instanceId: "i-bp1demo000000000002", renewalStatus: "Normal", duration: 0 });
    say("pulumi refresh", "the drift is recorded");
    await run("refresh");
    say("pulumi preview", "and shown as a diff");
    await run("preview");
    say("pulumi up", "and put back");
    await run("up");
    console.log(show());

    say("pulumi destroy", "each instance gets back the settings found before the stack touched it");
    await run("destroy");
    console.log(show());
    say("pulumi-alicloud-renewal report --all-regions --products all --all --format html", await writeHtmlReport(emulator));
    say(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s`, `API calls seen by the emulator: ${emulator.calls().length}; charges: ${emulator.ledger().length}`);
  } finally {
    engine?.close();
    await emulator.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
