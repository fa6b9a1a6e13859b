// examples/with-instance under the real CLI, with the alicloud plugin double (test/alicloud) standing in for
// the bridged provider: the instance is created in the emulator, its renewal next to it. The instance resource
// defaults renewalStatus to "Normal" and reads it back on refresh; the example has it ignore renewalStatus and
// keep autoRenewPeriod at the renewal's months, so once a refresh has seen the renewal's AutoRenewal nothing
// sets it back and `up --refresh` changes nothing (tug-of-war.test.ts runs it without the ignoreChanges). The
// drift to Normal is the case that rules out ignoring autoRenewPeriod too: the refresh reads its 0 into the
// instance's inputs, and an ignored 0 fails the instance's check on every later up.
import { describe, expect, it } from "vitest";
import { example, bothEngines } from "./support";
import { lifecycle, settingsOf, writes } from "./scenario";

const now = new Date().toISOString();
const both = bothEngines(() => {
  const steps = lifecycle({ autoRenewMonths: "3" }, (e) => {
    const id = e.instances().find((i) => i.instanceId.startsWith("i-pulumi"))!.instanceId;
    e.putInstance({ instanceId: id, renewalStatus: "Normal", duration: 0 });
  });
  const destroy = steps.pop()!;
  steps.push(
    { op: "refresh", label: "refresh: the instance reads what the renewal set" },
    { op: "preview", label: "preview after the refresh", args: ["--diff"] },
    { op: "up", label: "up --refresh #1", args: ["--refresh"] },
    { op: "up", label: "up --refresh #2", args: ["--refresh"] },
    destroy,
  );
  return { project: example("with-instance"), now, steps };
});
const at = (label: string) => both.cli.at(label);
const instanceId = () => at("up").run.outputs!.instanceId as string;

describe("examples/with-instance under the real CLI and the alicloud plugin double", () => {
  it("preview passes with the instance id unknown and creates nothing", () => {
    const { run, instances } = at("preview");
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    expect(run.steps.map((s) => `${s.op} ${s.name}`)).toEqual(expect.arrayContaining(["create web", "create web-renewal"]));
    expect(instances.some((i) => i.instanceId.startsWith("i-pulumi"))).toBe(false);
  });

  it("up creates the subscription instance through the plugin double, then its renewal", () => {
    const { run, instances } = at("up");
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    expect(run.stderr + run.stdout).toContain("using pulumi-resource-alicloud from $PATH");
    expect(instances.find((i) => i.instanceId === instanceId())).toMatchObject({ instanceChargeType: "PrePaid" });
    expect(settingsOf(instances, instanceId())).toBe("AutoRenewal 1 Month");
    expect(run.outputs!.nextAutoRenewDeduction).toMatch(/^\d{4}-/);
    // The instance's own view, as the bridged provider records it: its defaults, read back after the create.
    const web = run.events.map((e) => e.resOutputsEvent?.metadata).find((m) => m?.urn.endsWith("::web"));
    expect(web?.new?.inputs).toMatchObject({ renewalStatus: "Normal", autoRenewPeriod: 1 });
  });

  it("the renewal's duration change is an update of the renewal alone", () => {
    expect(at("up with the config change").run.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`)).toEqual(["update web-renewal"]);
    expect(settingsOf(at("up with the config change").instances, instanceId())).toBe("AutoRenewal 3 Month");
  });

  it("drift to Normal: refresh sees it on the renewal (the instance expects Normal), and up puts auto-renew back", () => {
    const refresh = at("refresh after drift").run;
    expect(refresh.steps.find((s) => s.name === "web-renewal")).toMatchObject({ op: "update" });
    expect(settingsOf(at("up after refresh").instances, instanceId())).toBe("AutoRenewal 3 Month");
    expect(writes(at("up again (no change)").calls)).toEqual([]);
  });

  it("once a refresh reads AutoRenewal into the instance, the ignored renewalStatus and the matching period leave nothing to change", () => {
    const refresh = at("refresh: the instance reads what the renewal set").run;
    expect(refresh.steps.find((s) => s.name === "web")).toMatchObject({ op: "update", diffs: expect.arrayContaining(["renewalStatus", "autoRenewPeriod"]) });
    const preview = at("preview after the refresh").run;
    expect(preview.ok, preview.stdout + preview.stderr).toBe(true);
    expect(preview.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`)).toEqual([]);
    expect(preview.stdout).not.toContain("renewalStatus");
  });

  it("up --refresh, twice: no auto-renew write, and auto-renew stays on", () => {
    for (const label of ["up --refresh #1", "up --refresh #2"]) {
      const { run, calls, instances } = at(label);
      expect(run.ok, run.stdout + run.stderr).toBe(true);
      expect(writes(calls)).toEqual([]);
      expect(run.steps.filter((s) => s.op !== "same" && !s.refresh).map((s) => `${s.op} ${s.name}`)).toEqual([]);
      expect(settingsOf(instances, instanceId())).toBe("AutoRenewal 3 Month");
    }
  });

  it("destroy deletes the renewal first, then the instance", () => {
    const { run, instances } = at("destroy");
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    const order = run.steps.filter((s) => s.op === "delete").map((s) => s.name);
    expect(order.indexOf("web-renewal")).toBeLessThan(order.indexOf("web"));
    expect(instances.find((i) => i.instanceId === instanceId())).toBeUndefined();
  });

  it("the local engine takes the same steps, with the same property diffs and outputs", () => {
    expect(both.local.transcripts).toEqual(both.cli.transcripts);
  });
});
