// examples/manual-renewal under the real CLI: the preview's quote, one charge, a guard change that charges
// nothing, a renewal made by hand in the console, refresh, re-runs, destroy; the local engine held to it.
import { describe, expect, it } from "vitest";
import { example, bothEngines } from "./support";
import { lifecycle, writes } from "./scenario";

const ID = "i-bp1demo000000000004";
const now = new Date().toISOString();
const both = bothEngines(() => ({
  project: example("manual-renewal"),
  now,
  // The instance renewed by hand in the console: it expires in 200 days, well outside the 15-day window.
  steps: lifecycle({ maxPrice: "400" }, (e) => e.putInstance({ instanceId: ID, expiresInDays: 200 }), ["--diff"]),
}));
const at = (label: string) => both.cli.at(label);
const renewals = (label: string) => at(label).ledger.filter((c) => c.kind === "renew");

describe("examples/manual-renewal under the real CLI", () => {
  it("preview shows the quote (instance, intent, expiry, price) and orders nothing", () => {
    const { run, calls, ledger } = at("preview");
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    expect(run.steps.map((s) => `${s.op} ${s.name}`)).toEqual(expect.arrayContaining(["create urgent", "create urgent-plan", "create urgent-order"]));
    expect(calls.filter((c) => c.action === "RenewInstance")).toEqual([]);
    expect(ledger).toEqual([]);
  });

  it("up charges once, with a client token", () => {
    const { run } = at("up");
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    expect(renewals("up")).toEqual([expect.objectContaining({ instanceId: ID, period: 1, amount: 95, clientToken: expect.any(String) })]);
    expect(run.outputs!.urgentOrder).toMatchObject({ skipped: false, price: 95, orderId: renewals("up")[0].orderId });
  });

  it("a guard change shows as an update of the order and charges nothing", () => {
    const preview = at("preview of the config change").run;
    expect(preview.stdout).toMatch(/~ maxPrice\s*: 500 => 400/);
    expect(writes(at("up with the config change").calls)).toEqual([]);
    expect(renewals("up with the config change")).toHaveLength(1);
  });

  it("after a renewal by hand, refresh and the ups that follow charge nothing", () => {
    for (const label of ["refresh after drift", "up after refresh", "up again (no change)"]) {
      expect(at(label).run.ok, at(label).run.stdout).toBe(true);
      expect(at(label).calls.filter((c) => c.action === "RenewInstance")).toEqual([]);
    }
    expect(at("up again (no change)").run.summary).toMatchObject({ create: 0, update: 0, delete: 0, replace: 0 });
  });

  it("destroy removes the record, charging and refunding nothing", () => {
    const { run, ledger } = at("destroy");
    expect(run.ok).toBe(true);
    expect(run.stdout).toContain("nothing is charged and nothing is refunded");
    expect(ledger.filter((c) => c.kind === "renew")).toHaveLength(1);
  });

  it("the local engine takes the same steps, with the same property diffs and outputs", () => {
    expect(both.local.transcripts).toEqual(both.cli.transcripts);
  });
});
