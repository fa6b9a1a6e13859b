// examples/auto-renew-existing under the real CLI against the emulator, through its whole life, and the
// local engine held to it step for step.
import { describe, expect, it } from "vitest";
import { example, bothEngines } from "./support";
import { lifecycle, settingsOf, writes } from "./scenario";

const IDS = ["i-bp1demo000000000001", "i-bp1demo000000000002", "i-bp1demo000000000003"];
const now = new Date().toISOString();
const both = bothEngines(() => ({
  project: example("auto-renew-existing"),
  now,
  steps: lifecycle({ autoRenewDuration: "3" }, (e) => e.putInstance({ instanceId: IDS[1], renewalStatus: "Normal", duration: 0 }), ["--diff"]),
}));
const at = (label: string) => both.cli.at(label);
const settings = (label: string) => IDS.map((id) => settingsOf(at(label).instances, id));

describe("examples/auto-renew-existing under the real CLI", () => {
  it("preview plans three renewals and writes nothing", () => {
    const { run, calls } = at("preview");
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    expect(run.summary.create).toBe(4);
    expect(run.stdout).toContain("+  pulumi-nodejs:dynamic/alicloud-renewal:InstanceRenewal auto-renew-i-bp1demo000000000001 create");
    expect(writes(calls)).toEqual([]);
    expect(settings("preview")).toEqual(["Normal", "Normal", "AutoRenewal 12 Month"]);
  });

  it("up turns auto-renew on, with one batched write", () => {
    const { run, calls } = at("up");
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    expect(settings("up")).toEqual(["AutoRenewal 1 Month", "AutoRenewal 1 Month", "AutoRenewal 1 Month"]);
    expect(writes(calls).map((c) => c.action)).toEqual(["ModifyInstanceAutoRenewAttribute"]);
    expect((run.outputs!.instances as unknown[]).length).toBe(3);
  });

  it("a config change previews as the diff a reviewer reads, and applies", () => {
    const preview = at("preview of the config change").run;
    expect(preview.stdout).toContain("~ pulumi-nodejs:dynamic/alicloud-renewal:InstanceRenewal: (update)");
    expect(preview.stdout).toMatch(/~ duration\s*: 1 => 3/);
    expect(writes(at("preview of the config change").calls)).toEqual([]);
    expect(settings("up with the config change")).toEqual(["AutoRenewal 3 Month", "AutoRenewal 3 Month", "AutoRenewal 3 Month"]);
  });

  it("refresh records the drift made in the console, the next up puts it back, and a re-run writes nothing", () => {
    const refresh = at("refresh after drift").run;
    expect(refresh.steps.find((s) => s.name === `auto-renew-${IDS[1]}`)).toMatchObject({ op: "update", diffs: expect.arrayContaining(["renewalStatus"]) });
    expect(writes(at("refresh after drift").calls)).toEqual([]);
    expect(settings("up after refresh")[1]).toBe("AutoRenewal 3 Month");
    expect(at("up again (no change)").run.summary).toMatchObject({ create: 0, update: 0, delete: 0, replace: 0 });
    expect(writes(at("up again (no change)").calls)).toEqual([]);
  });

  it("destroy gives every instance back the settings found before the stack touched it", () => {
    expect(at("destroy").run.ok).toBe(true);
    expect(settings("destroy")).toEqual(["Normal", "Normal", "AutoRenewal 12 Month"]);
    expect(at("destroy").ledger).toEqual([]);
  });

  it("the local engine takes the same steps, with the same property diffs and outputs", () => {
    expect(both.local.transcripts).toEqual(both.cli.transcripts);
  });
});
