// Bad input fails at check — so in `pulumi preview` — with the property, the value and what is allowed.
import { describe, expect, it } from "vitest";
import { checkInstanceRenewal } from "../provider/instance-renewal/schema";
import { UNKNOWN } from "../provider/unknowns";

const ok = { instanceId: "i-bp1demo000000000001" };

/** [case, inputs, property, words the reason must contain] */
export const INSTANCE_RENEWAL_BAD_INPUTS: Array<[string, Record<string, unknown>, string, string[]]> = [
  ["missing instanceId", {}, "instanceId", ["required"]],
  ["empty instanceId", { instanceId: "" }, "instanceId", ['""', "i-"]],
  ["whitespace instanceId", { instanceId: "   " }, "instanceId", ['"   "', "no spaces"]],
  ["padded instanceId", { instanceId: " i-bp1demo000000000001 " }, "instanceId", ["no spaces"]],
  ["upper-case instanceId", { instanceId: "I-BP1DEMO" }, "instanceId", ['"I-BP1DEMO"', "lower-case"]],
  ["numeric instanceId", { instanceId: 42 }, "instanceId", ["42", "not a string"]],
  ["instanceId of another resource type", { instanceId: "d-bp1disk0001" }, "instanceId", ['"d-bp1disk0001"']],
  ["region in wrong form", { ...ok, regionId: "Hangzhou" }, "regionId", ['"Hangzhou"', "cn-hangzhou"]],
  ["region not a string", { ...ok, regionId: 1 }, "regionId", ["1", "not a string"]],
  ["wrong-case renewalStatus", { ...ok, renewalStatus: "autorenewal" }, "renewalStatus", ['"autorenewal"', '"AutoRenewal"', "case-sensitive"]],
  ["unknown renewalStatus", { ...ok, renewalStatus: "Auto" }, "renewalStatus", ['"Auto"', '"Normal"', '"NotRenewal"']],
  ["duration 5 months", { ...ok, duration: 5 }, "duration", ["5", '"Month"', "1, 2, 3, 6, 12, 24, 36, 48, 60"]],
  ["duration 0", { ...ok, duration: 0 }, "duration", ["0", "1, 2, 3, 6"]],
  ["negative duration", { ...ok, duration: -1 }, "duration", ["-1"]],
  ["fractional duration", { ...ok, duration: 1.5 }, "duration", ["1.5", "whole number"]],
  ["duration as words", { ...ok, duration: "one" }, "duration", ['"one"', "number"]],
  ["6 years", { ...ok, duration: 6, periodUnit: "Year" }, "duration", ["6", '"Year"', "1, 2, 3, 4, 5"]],
  ["12 weeks", { ...ok, duration: 12, periodUnit: "Week" }, "duration", ["12", '"Week"', "1, 2, 3, 4"]],
  ["unit Day", { ...ok, periodUnit: "Day" }, "periodUnit", ['"Day"', '"Month"', '"Year"', '"Week"']],
  ["lower-case unit", { ...ok, periodUnit: "month" }, "periodUnit", ['"month"', "case-sensitive"]],
  ["plural unit", { ...ok, periodUnit: "Months" }, "periodUnit", ['"Months"']],
  ["onDelete retain", { ...ok, onDelete: "retain" }, "onDelete", ['"retain"', '"restore"', "retainOnDelete"]],
  ["onDelete wrong case", { ...ok, onDelete: "Restore" }, "onDelete", ['"Restore"', "case-sensitive"]],
  ["unknown property", { ...ok, autoRenew: true }, "autoRenew", ["unknown property", "renewalStatus"]],
  ["Terraform-style name", { ...ok, auto_renew_period: 1 }, "auto_renew_period", ["unknown property", "duration"]],
];

describe("InstanceRenewal check", () => {
  it.each(INSTANCE_RENEWAL_BAD_INPUTS)("rejects %s", (_name, inputs, property, words) => {
    const { failures } = checkInstanceRenewal(inputs, { defaultRegion: "cn-hangzhou" });
    const failure = failures.find((f) => f.property === property);
    expect(failure, JSON.stringify(failures)).toBeDefined();
    expect(failure!.reason.startsWith(`${property}:`)).toBe(true);
    for (const w of words) expect(failure!.reason).toContain(w);
  });

  it("fills defaults so inputs are canonical", () => {
    expect(checkInstanceRenewal(ok, { defaultRegion: "cn-hangzhou" })).toEqual({
      inputs: { instanceId: ok.instanceId, regionId: "cn-hangzhou", renewalStatus: "AutoRenewal", duration: 1, periodUnit: "Month", onDelete: "restore" },
      failures: [],
    });
  });

  it("accepts whole numbers given as strings (values from stack config)", () => {
    expect(checkInstanceRenewal({ ...ok, duration: "12" }, { defaultRegion: "cn-hangzhou" }).inputs.duration).toBe(12);
  });

  it("says where the region can come from when none is set", () => {
    const { failures } = checkInstanceRenewal(ok, {});
    expect(failures).toHaveLength(1);
    expect(failures[0].reason).toContain("alicloud:region");
  });

  it("keeps preview's unknown values and still checks the rest", () => {
    const r = checkInstanceRenewal({ instanceId: UNKNOWN, duration: 6 }, { defaultRegion: "cn-hangzhou" });
    expect(r.failures).toEqual([]);
    expect(r.inputs.instanceId).toBe(UNKNOWN);
    expect(r.inputs.duration).toBe(6);
    expect(checkInstanceRenewal({ instanceId: UNKNOWN, duration: 5 }, { defaultRegion: "cn-hangzhou" }).failures[0].property).toBe("duration");
  });
});
