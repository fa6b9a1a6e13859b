// examples/emr-cluster under the real CLI: the EMR fee and every node of the cluster on one duration, the nodes'
// expiry aligned on one day by one order each; re-runs order nothing; the local engine held to it.
import { describe, expect, it } from "vitest";
import { example, bothEngines } from "./support";
import { lifecycle, settingsOf } from "./scenario";

const NODES = ["i-bp1emr0000000000001", "i-bp1emr0000000000002", "i-bp1emr0000000000003"];
const now = new Date().toISOString();
const both = bothEngines(() => ({
  project: example("emr-cluster"),
  now,
  steps: lifecycle({ autoRenewMonths: "2" }, (e) => e.putInstance({ instanceId: NODES[0], renewalStatus: "Normal", duration: 0 })),
}));
const at = (label: string) => both.cli.at(label);
const renewals = (label: string) => at(label).ledger.filter((c) => c.kind === "renew");
const CLUSTER = "c-demo00000001";
const feeSettings = () => {
  const fee = both.cli.emulator.family(CLUSTER)!;
  return fee.renewalStatus === "AutoRenewal" ? `AutoRenewal ${fee.duration} ${fee.periodUnit}` : fee.renewalStatus;
};
const feeWrites = (label: string) => at(label).calls.filter((c) => c.action === "UpdateClusterAutoRenew");

describe("examples/emr-cluster under the real CLI", () => {
  it("preview orders nothing; up aligns every node on day 15 with one order each and puts them on auto-renew", () => {
    expect(at("preview").ledger).toEqual([]);
    const { run, instances } = at("up");
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    for (const id of NODES) {
      expect(settingsOf(instances, id)).toBe("AutoRenewal 1 Month");
      const expiry = instances.find((i) => i.instanceId === id)!.expiredTime;
      expect(new Date(Date.parse(expiry) + 8 * 3_600_000).getUTCDate()).toBe(15);
    }
    expect(renewals("up").map((c) => c.instanceId).sort()).toEqual(NODES);
    expect(settingsOf(instances, "i-bp1demo000000000001")).toBe("Normal"); // not in the cluster
    expect(feeWrites("up")).toHaveLength(1);
    expect(run.outputs).toMatchObject({ clusterId: CLUSTER, fee: { renewalStatus: "AutoRenewal", duration: 1 } });
  });

  it("a duration change, drift, refresh and re-runs order nothing more", () => {
    expect(NODES.map((id) => settingsOf(at("up with the config change").instances, id))).toEqual(NODES.map(() => "AutoRenewal 2 Month"));
    expect(settingsOf(at("up after refresh").instances, NODES[0])).toBe("AutoRenewal 2 Month");
    expect(renewals("up again (no change)")).toHaveLength(3);
    expect(at("up again (no change)").run.summary).toMatchObject({ create: 0, update: 0, delete: 0, replace: 0 });
    expect(feeWrites("up with the config change")).toHaveLength(1);
    expect(feeWrites("up again (no change)")).toEqual([]);
  });

  it("destroy restores the nodes' settings and charges nothing more", () => {
    const { run, instances } = at("destroy");
    expect(run.ok).toBe(true);
    expect(NODES.map((id) => settingsOf(instances, id))).toEqual(["Normal", "Normal", "AutoRenewal 1 Month"]);
    expect(renewals("destroy")).toHaveLength(3);
    expect(feeSettings()).toBe("Normal");
  });

  it("the local engine takes the same steps, with the same property diffs and outputs", () => {
    expect(both.local.transcripts).toEqual(both.cli.transcripts);
  });
});
