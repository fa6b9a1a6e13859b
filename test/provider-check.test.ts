// Bad input fails at check — so in `pulumi preview` — with the property, the value and what is allowed.
import { describe, expect, it } from "vitest";
import { checkInstanceRenewal } from "../provider/instance-renewal/schema";
import { UNKNOWN } from "../provider/unknowns";
import { INSTANCE_RENEWAL_BAD_INPUTS } from "./support/bad-inputs";

const ok = { instanceId: "i-bp1demo000000000001" };



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
