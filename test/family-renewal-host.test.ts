// DedicatedHostRenewal, ReservedInstanceRenewal, ElasticityAssuranceRenewal and EmrClusterRenewal through
// the real dynamic-provider host, over gRPC as the engine drives it, against the emulator reached by the
// official ECS SDK and (for EMR) @alicloud/openapi-core's generic client. Per family: a bad input in
// check, create, no-op, update, drift on refresh, restore on delete, a refusal.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DedicatedHostRenewal, ElasticityAssuranceRenewal, EmrClusterRenewal, ReservedInstanceRenewal } from "pulumi-alicloud-renewal";
import { startEmulator, type Emulator, type FleetFile, type FamilyKind } from "./emulator";
import { startProviderHost, type ProviderHost } from "./engine/host";
import fs from "node:fs";
import { FAMILY_BAD_INPUTS } from "./support/bad-inputs";
import { serializedProvider } from "./support/serialized-provider";

const ROOT = path.resolve(__dirname, "..");

const FLEET: FleetFile = {
  instances: [{ instanceId: "i-bp1emrnode00001", expiresInDays: 40 }],
  dedicatedHosts: [
    { dedicatedHostId: "dh-bp1host00000001", expiresInDays: 60, monthlyPrice: 900 },
    { dedicatedHostId: "dh-bp1host00000002", chargeType: "PostPaid" },
  ],
  reservedInstances: [
    { reservedInstanceId: "ecsri-bp1ri0000001", expiresInDays: 200, monthlyPrice: 60 },
    { reservedInstanceId: "ecsri-bp1ri0000002", expiresInDays: -3, monthlyPrice: 60 },
  ],
  elasticityAssurances: [
    { elasticityAssuranceId: "eap-bp1ea00000001", expiresInDays: 90, monthlyPrice: 40 },
    { elasticityAssuranceId: "eap-bp1ea00000002", expiresInDays: 90, renewalStatus: "NotRenewal", monthlyPrice: 40 },
  ],
  emrClusters: [
    { clusterId: "c-bp1emr0000000001", expiresInDays: 50, monthlyPrice: 300, nodes: ["i-bp1emrnode00001"] },
    { clusterId: "c-bp1emr0000000002", chargeType: "PostPaid" },
  ],
};

interface Case {
  kind: FamilyKind;
  resource: string;
  idInput: string;
  id: string;
  declare: () => void;
  create: Record<string, unknown>;
  update: Record<string, unknown>;
  /** What someone sets behind the stack's back, as the fleet file spells it. */
  drift: { duration: number; periodUnit: "Month" | "Year" | "Week" };
  bad: { inputs: Record<string, unknown>; reason: string };
  refusal: { id: string; inputs?: Record<string, unknown>; message: RegExp };
  /** The write call, as the emulator logs it. */
  write: string;
  product: "ecs" | "emr";
}

const CASES: Case[] = [
  {
    kind: "dedicatedHost",
    resource: "DedicatedHostRenewal",
    idInput: "dedicatedHostId",
    id: "dh-bp1host00000001",
    declare: () => new DedicatedHostRenewal("probe", { dedicatedHostId: "dh-bp1host00000001" }),
    create: { duration: 3, autoRenewWithEcs: "AutoRenewWithEcs" },
    update: { duration: 6 },
    drift: { duration: 12, periodUnit: "Month" },
    bad: { inputs: { duration: 5 }, reason: 'duration: 5 is not allowed with periodUnit "Month"; use one of 1, 2, 3, 6, 12, 24, 36, 48, 60' },
    refusal: { id: "dh-bp1host00000002", message: /^Dedicated host dh-bp1host00000002 is Pay-As-You-Go \(PostPaid\): renewal settings apply only to subscription \(PrePaid\) dedicated hosts\. Remove this DedicatedHostRenewal/ },
    write: "ModifyDedicatedHostAutoRenewAttribute",
    product: "ecs",
  },
  {
    kind: "reservedInstance",
    resource: "ReservedInstanceRenewal",
    idInput: "reservedInstanceId",
    id: "ecsri-bp1ri0000001",
    declare: () => new ReservedInstanceRenewal("probe", { reservedInstanceId: "ecsri-bp1ri0000001" }),
    create: { duration: 1, periodUnit: "Year" },
    update: { duration: 3, periodUnit: "Year" },
    drift: { duration: 5, periodUnit: "Year" },
    bad: { inputs: { renewalStatus: "NotRenewal" }, reason: 'renewalStatus: "NotRenewal" is not allowed; use one of "AutoRenewal", "Normal"' },
    refusal: { id: "ecsri-bp1ri0000002", message: /^Reserved instance ecsri-bp1ri0000002 is Expired, and only an Active reserved instance may change its auto-renew settings \(ModifyReservedInstanceAutoRenewAttribute\)\. Renew it first \(a ManualRenewal with reservedInstanceId\)/ },
    write: "ModifyReservedInstanceAutoRenewAttribute",
    product: "ecs",
  },
  {
    kind: "elasticityAssurance",
    resource: "ElasticityAssuranceRenewal",
    idInput: "elasticityAssuranceId",
    id: "eap-bp1ea00000001",
    declare: () => new ElasticityAssuranceRenewal("probe", { elasticityAssuranceId: "eap-bp1ea00000001" }),
    create: { duration: 1, periodUnit: "Month" },
    update: { duration: 3, periodUnit: "Year" },
    drift: { duration: 5, periodUnit: "Year" },
    bad: { inputs: { duration: 2 }, reason: 'duration: 2 is not allowed with periodUnit "Month"; use one of 1' },
    refusal: { id: "eap-bp1ea00000002", message: /^Elasticity assurance eap-bp1ea00000002 is set to NotRenewal \(expire without renewal\), and Alibaba Cloud only allows auto-renewal after it is set back to Normal/ },
    write: "ModifyElasticityAssuranceAutoRenewAttribute",
    product: "ecs",
  },
  {
    kind: "emrCluster",
    resource: "EmrClusterRenewal",
    idInput: "clusterId",
    id: "c-bp1emr0000000001",
    declare: () => new EmrClusterRenewal("probe", { clusterId: "c-bp1emr0000000001" }),
    create: { duration: 1 },
    update: { duration: 12 },
    drift: { duration: 2, periodUnit: "Year" },
    bad: { inputs: { periodUnit: "Week" }, reason: 'periodUnit: "Week" is not allowed; use one of "Month", "Year"' },
    refusal: { id: "c-bp1emr0000000002", message: /^EMR cluster c-bp1emr0000000002 is Pay-As-You-Go \(PostPaid\): renewal settings apply only to subscription \(PrePaid\) EMR clusters\. Remove this EmrClusterRenewal/ },
    write: "UpdateClusterAutoRenew",
    product: "emr",
  },
];

let emulator: Emulator;
let host: ProviderHost;

/** A provider host as one `pulumi` command starts it. */
async function newHost(): Promise<ProviderHost> {
  const h = await startProviderHost({ cwd: ROOT, env: { ...process.env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true", ALICLOUD_RENEWAL_RETRY_BASE_MS: "20" } });
  await h.configure({
    "alicloud:region": "cn-hangzhou",
    "alicloud:accessKey": "LTAIemulator",
    "alicloud:secretKey": "emulator-secret",
    "alicloud-renewal:ecsEndpoint": emulator.url,
    "alicloud-renewal:emrEndpoint": emulator.url,
  });
  return h;
}

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true });
  host = await newHost();
});

afterAll(async () => {
  await host?.kill();
  await emulator?.idle();
  await emulator?.close();
});

const settings = (id: string) => {
  const s = emulator.family(id)!;
  return s.renewalStatus === "AutoRenewal" ? `AutoRenewal ${s.duration} ${s.periodUnit}` : s.renewalStatus;
};

describe.each(CASES)("$resource through the real host", (c) => {
  const urn = (name: string) => `urn:pulumi:test::renewal::pulumi-nodejs:dynamic/alicloud-renewal:${c.resource}::${name}`;
  let provider: string;
  beforeAll(async () => {
    provider = await serializedProvider(c.declare);
  });
  const check = (inputs: Record<string, unknown>) => host.check(urn("r"), {}, { ...inputs, __provider: provider });

  it("stores a shim naming its own controller kind, and check refuses a bad input naming the property, value and what is allowed", async () => {
    expect(provider).toContain(`controller("${c.resource}")`);
    const checked = await check({ [c.idInput]: c.id, ...c.bad.inputs });
    expect(checked.failures.map((f) => f.reason)).toEqual([c.bad.reason]);
    const malformed = await check({ [c.idInput]: "i-bp67acfmxazb4ph1" });
    expect(malformed.failures[0].reason).toMatch(new RegExp(`^${c.idInput}: "i-bp67acfmxazb4ph1" is not an? [a-zA-Z -]+ id; ids look like`));
  });

  it("create, no-op, update, drift on refresh, restore on delete", async () => {
    emulator.clearCalls();
    const checked = await check({ [c.idInput]: c.id, ...c.create });
    expect(checked.failures).toEqual([]);
    const { id, properties } = await host.create(urn("r"), checked.inputs);
    expect(id).toBe(c.id);
    expect(settings(c.id)).toBe(`AutoRenewal ${checked.inputs.duration} ${checked.inputs.periodUnit}`);
    expect(properties).toMatchObject({ [c.idInput]: c.id, regionId: "cn-hangzhou", renewalStatus: "AutoRenewal", autoRenewEnabled: true, chargeType: "PrePaid", previous: { renewalStatus: "Normal" } });
    expect(properties.expiredTime).toBe(emulator.family(c.id)!.expiredTime);
    const calls = emulator.calls();
    expect(calls.filter((k) => k.action === c.write)).toHaveLength(1);
    expect(calls.every((k) => k.outcome === "ok")).toBe(true);

    // The same program again: no change.
    const again = await check({ [c.idInput]: c.id, ...c.create });
    expect(await host.diff(id, urn("r"), properties, again.inputs)).toMatchObject({ changes: "none" });

    // A new duration: an update that writes once.
    emulator.clearCalls();
    const changed = await check({ [c.idInput]: c.id, ...c.update });
    expect(await host.diff(id, urn("r"), properties, changed.inputs)).toMatchObject({ changes: "some" });
    const updated = await host.update(id, urn("r"), properties, changed.inputs);
    expect(settings(c.id)).toBe(`AutoRenewal ${changed.inputs.duration} ${changed.inputs.periodUnit}`);
    expect(updated.properties).toMatchObject({ duration: changed.inputs.duration, previous: { renewalStatus: "Normal" } });
    expect(emulator.calls().filter((k) => k.action === c.write)).toHaveLength(1);

    // Someone changes it in the console: refresh brings it into the inputs, so preview shows it as drift.
    emulator.putFamily(c.kind, { [c.idInput]: c.id, renewalStatus: "AutoRenewal", ...c.drift });
    const read = await host.read(id, urn("r"), updated.properties, changed.inputs);
    expect(read.inputs).toMatchObject({ [c.idInput]: c.id, renewalStatus: "AutoRenewal", duration: c.drift.duration, periodUnit: c.drift.periodUnit });

    // Deleting it (a later `pulumi destroy`, so another host) puts back what create found.
    const destroyHost = await newHost();
    try {
      await destroyHost.delete(id, urn("r"), read.properties);
    } finally {
      await destroyHost.kill();
    }
    expect(settings(c.id)).toBe("Normal");
  });

  it("refuses, before any write, what the API would refuse, with a sentence that says what to do", async () => {
    emulator.clearCalls();
    const checked = await check({ [c.idInput]: c.refusal.id, ...(c.refusal.inputs ?? {}) });
    expect(checked.failures).toEqual([]);
    await expect(host.create(urn("refused"), checked.inputs)).rejects.toThrow(c.refusal.message);
    expect(emulator.calls().filter((k) => k.action === c.write)).toEqual([]);
  });
});

describe("the README's catalogue of bad inputs, for the other families", () => {
  it("each fails at check through the real host, naming property, value and what is allowed, and has its README row", async () => {
    const declare: Record<string, () => void> = Object.fromEntries(CASES.map((c) => [c.resource, c.declare]));
    const shims: Record<string, string> = {};
    for (const c of CASES) shims[c.resource] = await serializedProvider(declare[c.resource]);
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    for (const [name, resource, inputs, property, words] of FAMILY_BAD_INPUTS) {
      const { failures } = await host.check(`urn:pulumi:s::p::pulumi-nodejs:dynamic/alicloud-renewal:${resource}::n`, {}, { ...inputs, __provider: shims[resource] });
      const f = failures.find((x) => x.property === property);
      expect(f, `${name}: ${JSON.stringify(failures)}`).toBeDefined();
      for (const w of words) expect(f!.reason, name).toContain(w);
      expect(readme, `README catalogue row for "${name}"`).toContain(`| ${name} | ${resource} | \`${property}\` | ${f!.reason} |`);
    }
  });
});

describe("an unknown subscription", () => {
  it("create fails naming the family, the id and the region; a refresh of a released one drops it", async () => {
    const provider = await serializedProvider(() => new DedicatedHostRenewal("probe", { dedicatedHostId: "dh-bp1host00000001" }));
    const urn = "urn:pulumi:test::renewal::pulumi-nodejs:dynamic/alicloud-renewal:DedicatedHostRenewal::gone";
    const checked = await host.check(urn, {}, { dedicatedHostId: "dh-bp1nosuchhost0", __provider: provider });
    await expect(host.create(urn, checked.inputs)).rejects.toThrow(/^ECS found no dedicated host dh-bp1nosuchhost0 in region cn-hangzhou\. Check dedicatedHostId and regionId/);
    const read = await host.read("dh-bp1nosuchhost0", urn, checked.inputs, checked.inputs);
    expect(read.id).toBe("");
  });
});
