// `npm run demo`: the root Pulumi.yaml program (examples/auto-renew-existing) against the embedded ECS
// emulator, through the local engine and the real dynamic-provider host, narrated step by step.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator } from "../emulator";
import { runEngine, type EngineOperation } from "../engine";
import { writeHtmlReport } from "./report";

const ROOT = path.resolve(__dirname, "..", "..");
const FLEET = path.join(ROOT, "test", "emulator", "fleets", "demo.json");

function say(title: string, detail = ""): void {
  process.stdout.write(`\n\x1b[1m== ${title}\x1b[0m${detail ? `\n   ${detail}` : ""}\n\n`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const emulator = await startEmulator({ fleet: FLEET, quiet: true });
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "renewal-demo-"));
  const stateFile = path.join(stateDir, "demo.json");
  const env = { ...process.env, ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" };
  const ids = ["i-bp1demo000000000001", "i-bp1demo000000000002", "i-bp1demo000000000003"];
  const show = () =>
    ids.map((id) => {
      const i = emulator.instance(id)!;
      return `   ${id}  ${i.renewalStatus}${i.renewalStatus === "AutoRenewal" ? ` ${i.duration} ${i.periodUnit}` : ""}  expires ${i.expiredTime}`;
    }).join("\n");
  let config: Record<string, string> = {};
  const run = async (op: EngineOperation) => {
    const result = await runEngine(op, { cwd: ROOT, stack: "demo", stateFile, config, env });
    process.stdout.write(result.text.endsWith("\n") ? result.text : `${result.text}\n`);
    return result;
  };

  try {
    say("The demo fleet in the ECS emulator", `listening on ${emulator.url}`);
    console.log(show());

    say("pulumi preview", "what `pulumi up` would do; nothing is written");
    await run("preview");
    say("pulumi up", "turn on auto-renew for the three instances");
    await run("up");
    console.log(show());

    say("pulumi config set autoRenewDuration 3 && pulumi preview", "the diff a reviewer sees in the pull request");
    config = { "alicloud-renewal-demo:autoRenewDuration": "3" };
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
    await emulator.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
