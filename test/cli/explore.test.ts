import path from "node:path";
import { it } from "vitest";
import { lifecycle, runUnderCli, runUnderLocalEngine } from "./scenario";

it("explore", async () => {
  const now = new Date().toISOString();
  const options = { project: path.resolve(__dirname, "../../examples/auto-renew-existing"), now, steps: lifecycle({ autoRenewDuration: "3" }, (e) => e.putInstance({ instanceId: "i-bp1demo000000000002", renewalStatus: "Normal", duration: 0 })) };
  const cli = await runUnderCli(options);
  const local = await runUnderLocalEngine(options);
  require("node:fs").writeFileSync("/tmp/cli13/explore.json", JSON.stringify({ cli: cli.transcripts, local: local.transcripts, times: cli.runs.map((r) => r.label) }, null, 1));
  for (const r of cli.runs) if (!r.run.ok) console.log(r.label, r.run.stdout, r.run.stderr);
  await cli.emulator.close(); await local.emulator.close(); console.log("DIR", cli.stack.dir);
}, 600_000);
