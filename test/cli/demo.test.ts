// The demo's scenario (the root Pulumi.yaml, stack demo, as `npm run demo` narrates it) under the real CLI:
// its secret key set with `pulumi config set --secret`, as the stack file's comment says a user would.
import { describe, expect, it } from "vitest";
import { ROOT, bothEngines } from "./support";
import { lifecycle, settingsOf, writes } from "./scenario";

const IDS = ["i-bp1demo000000000001", "i-bp1demo000000000002", "i-bp1demo000000000003"];
const now = new Date().toISOString();
const both = bothEngines(() => ({
  project: ROOT,
  stack: "demo",
  now,
  steps: lifecycle({ autoRenewDuration: "3" }, (e) => e.putInstance({ instanceId: IDS[1], renewalStatus: "Normal", duration: 0 })),
}));
const at = (label: string) => both.cli.at(label);
const settings = (label: string) => IDS.map((id) => settingsOf(at(label).instances, id));

describe("the demo under the real CLI", () => {
  it("runs preview, up, a config change, drift, refresh, up and destroy as the local engine does", () => {
    for (const r of both.cli.runs) expect(r.run.ok, `${r.label}: ${r.run.stdout}${r.run.stderr}`).toBe(true);
    expect(writes(at("preview").calls)).toEqual([]);
    expect(settings("up")).toEqual(["AutoRenewal 1 Month", "AutoRenewal 1 Month", "AutoRenewal 1 Month"]);
    expect(at("preview of the config change").run.stdout).toContain("update [diff: ~duration]");
    expect(settings("up with the config change")).toEqual(["AutoRenewal 3 Month", "AutoRenewal 3 Month", "AutoRenewal 3 Month"]);
    expect(settings("up after refresh")[1]).toBe("AutoRenewal 3 Month");
    expect(settings("destroy")).toEqual(["Normal", "Normal", "AutoRenewal 12 Month"]);
    expect(both.local.transcripts).toEqual(both.cli.transcripts);
  });

});
