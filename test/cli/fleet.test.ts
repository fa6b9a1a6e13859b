// examples/fleet under the real CLI: every subscription instance of the region on auto-renew, NotRenewal left
// alone, a duration change, drift plus an instance bought behind the stack's back (picked up by the next up).
import { describe, expect, it } from "vitest";
import { example, bothEngines } from "./support";
import { lifecycle, settingsOf, writes } from "./scenario";

const NEW = "i-bp1late000000000001";
const now = new Date().toISOString();
const both = bothEngines(() => ({
  project: example("fleet"),
  now,
  steps: lifecycle({ autoRenewMonths: "3" }, (e) => {
    e.putInstance({ instanceId: "i-bp1demo000000000002", renewalStatus: "Normal", duration: 0 });
    e.putInstance({ instanceId: NEW, regionId: "cn-hangzhou", expiresInDays: 90, renewalStatus: "Normal" });
  }),
}));
const at = (label: string) => both.cli.at(label);
const managed = (label: string) =>
  at(label).instances.filter((i) => i.regionId === "cn-hangzhou" && i.instanceChargeType === "PrePaid" && i.renewalStatus !== "NotRenewal").map((i) => i.instanceId);

describe("examples/fleet under the real CLI", () => {
  it("preview writes nothing; up puts every subscription instance of the region on auto-renew and leaves NotRenewal alone", () => {
    expect(writes(at("preview").calls)).toEqual([]);
    const { run, instances } = at("up");
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    for (const id of managed("up")) expect(settingsOf(instances, id)).toBe("AutoRenewal 1 Month");
    expect(settingsOf(instances, "i-bp1demo000000000005")).toBe("NotRenewal");
    expect(run.outputs).toMatchObject({ leftAlone: ["i-bp1demo000000000005"] });
    // i-bp1demo000000000004 expires in 5 days: allowed, warned about.
    expect(run.stdout).toContain("i-bp1demo000000000004 expires at");
  });

  it("a duration change applies to all of them", () => {
    const { instances } = at("up with the config change");
    for (const id of managed("up with the config change")) expect(settingsOf(instances, id)).toBe("AutoRenewal 3 Month");
  });

  it("refresh records the drift; the next up puts it back and takes in the instance bought since", () => {
    expect(at("refresh after drift").run.steps.find((s) => s.name === "auto-renew-i-bp1demo000000000002")).toMatchObject({ op: "update" });
    const { run, instances } = at("up after refresh");
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    expect(run.steps.find((s) => s.name === `auto-renew-${NEW}`)).toMatchObject({ op: "create" });
    expect(settingsOf(instances, NEW)).toBe("AutoRenewal 3 Month");
    expect(settingsOf(instances, "i-bp1demo000000000002")).toBe("AutoRenewal 3 Month");
    expect(writes(at("up again (no change)").calls)).toEqual([]);
  });

  it("destroy restores every instance, nothing charged", () => {
    const { run, instances, ledger } = at("destroy");
    expect(run.ok).toBe(true);
    expect(settingsOf(instances, "i-bp1demo000000000001")).toBe("Normal");
    expect(settingsOf(instances, "i-bp1demo000000000003")).toBe("AutoRenewal 12 Month");
    expect(settingsOf(instances, NEW)).toBe("Normal");
    expect(ledger).toEqual([]);
  });

  it("the local engine takes the same steps, with the same property diffs and outputs", () => {
    expect(both.local.transcripts).toEqual(both.cli.transcripts);
  });
});
