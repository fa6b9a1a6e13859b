// InstanceRenewal through the real dynamic-provider host from @pulumi/pulumi, driven over gRPC the way the
// engine drives it, against the ECS emulator reached by the unmodified official SDK.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InstanceRenewal } from "pulumi-alicloud-renewal";
import { startEmulator, type Emulator, type FleetFile } from "./emulator";
import { startProviderHost, type ProviderHost } from "./engine/host";
import { serializedProvider } from "./support/serialized-provider";

const ROOT = path.resolve(__dirname, "..");
const TYPE = "pulumi-nodejs:dynamic/alicloud-renewal:InstanceRenewal";
const urn = (name: string) => `urn:pulumi:test::renewal::${TYPE}::${name}`;
const SECRET = "emulator-secret";

const FLEET: FleetFile = {
  balance: 10_000,
  instances: [
    { instanceId: "i-host00000000001", regionId: "cn-hangzhou", instanceChargeType: "PrePaid", status: "Running", expiresInDays: 60, renewalStatus: "Normal", monthlyPrice: 100 },
    { instanceId: "i-host00000000002", regionId: "cn-hangzhou", instanceChargeType: "PrePaid", status: "Running", expiresInDays: 90, renewalStatus: "AutoRenewal", duration: 2, periodUnit: "Month", monthlyPrice: 100 },
    { instanceId: "i-host00000000003", regionId: "cn-hangzhou", instanceChargeType: "PostPaid", status: "Running", monthlyPrice: 100 },
    { instanceId: "i-host00000000004", regionId: "cn-hangzhou", instanceChargeType: "PrePaid", status: "Running", expiresInDays: 0.5, renewalStatus: "Normal", monthlyPrice: 100 },
    { instanceId: "i-host00000000005", regionId: "cn-hangzhou", instanceChargeType: "PrePaid", status: "Running", expiresInDays: 45, renewalStatus: "NotRenewal", monthlyPrice: 100 },
    { instanceId: "i-host00000000006", regionId: "cn-hangzhou", instanceChargeType: "PrePaid", status: "Running", expiresInDays: 5, renewalStatus: "Normal", monthlyPrice: 100 },
    { instanceId: "i-host00000000007", regionId: "cn-hangzhou", instanceChargeType: "PrePaid", status: "Running", expiresInDays: 30, renewalStatus: "Normal", monthlyPrice: 100 },
    { instanceId: "i-host00000000008", regionId: "cn-hangzhou", instanceChargeType: "PrePaid", status: "Running", expiresInDays: 30, renewalStatus: "Normal", monthlyPrice: 100 },
    ...Array.from({ length: 30 }, (_, n) => ({
      instanceId: `i-batch${String(n).padStart(10, "0")}`,
      regionId: "cn-hangzhou",
      instanceChargeType: "PrePaid" as const,
      status: "Running",
      expiresInDays: 40 + n,
      renewalStatus: "Normal" as const,
      monthlyPrice: 80,
    })),
  ],
};

let emulator: Emulator;
let host: ProviderHost;
let provider: string;

const baseEnv = () => ({ ...process.env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true", ALICLOUD_RENEWAL_RETRY_BASE_MS: "20" });
const stackConfig = (extra: Record<string, string> = {}) => ({
  "alicloud:region": "cn-hangzhou",
  "alicloud:accessKey": "LTAIemulator",
  "alicloud:secretKey": SECRET,
  "alicloud-renewal:ecsEndpoint": emulator.url,
  ...extra,
});

async function newHost(config: Record<string, string>, env: NodeJS.ProcessEnv = baseEnv()): Promise<ProviderHost> {
  const h = await startProviderHost({ cwd: ROOT, env });
  await h.configure(config);
  return h;
}

/** check + create, as `pulumi up` does for a new resource. */
async function create(name: string, inputs: Record<string, unknown>, on: ProviderHost = host) {
  const checked = await on.check(urn(name), {}, { ...inputs, __provider: provider });
  if (checked.failures.length) throw new Error(checked.failures.map((f: { reason: string }) => f.reason).join("; "));
  return on.create(urn(name), checked.inputs);
}

const attrs = (id: string) => {
  const i = emulator.instance(id)!;
  return { renewalStatus: i.renewalStatus, duration: i.duration, periodUnit: i.periodUnit };
};
const writes = () => emulator.calls().filter((c) => c.action.startsWith("Modify") || c.action === "RenewInstance");

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true });
  provider = await serializedProvider(() => new InstanceRenewal("probe", { instanceId: "i-host00000000001" }));
  const started = Date.now();
  host = await newHost(stackConfig());
  await create("cold-start", { instanceId: "i-host00000000008", renewalStatus: "AutoRenewal" });
  // Figure for the closing note: host cold start plus first create, through gRPC and the SDK.
  console.log(`host cold start + first create: ${Date.now() - started} ms`);
});

afterAll(async () => {
  await host?.kill();
  await emulator?.close();
});

describe("the serialized provider", () => {
  it("is a small shim naming only the package: no path, no secret, no SDK", () => {
    console.log(`serialized provider: ${Buffer.byteLength(provider)} bytes`);
    expect(Buffer.byteLength(provider)).toBeLessThanOrEqual(2048);
    expect(provider).toContain('require("pulumi-alicloud-renewal/runtime")');
    expect(provider).not.toContain(ROOT);
    expect(provider).not.toMatch(/\/(work|home|root|tmp|Users)\//);
    expect(provider).not.toContain(SECRET);
    expect(provider).not.toMatch(/zod|@alicloud|LTAI/);
  });
});

describe("create", () => {
  it("switches a Normal instance to auto-renew, confirms it, and returns full outputs", async () => {
    emulator.clearCalls();
    const { id, properties } = await create("web", { instanceId: "i-host00000000001", duration: 3 });
    expect(id).toBe("i-host00000000001");
    expect(attrs(id)).toEqual({ renewalStatus: "AutoRenewal", duration: 3, periodUnit: "Month" });
    expect(properties).toMatchObject({
      instanceId: "i-host00000000001",
      regionId: "cn-hangzhou",
      renewalStatus: "AutoRenewal",
      duration: 3,
      periodUnit: "Month",
      onDelete: "restore",
      autoRenewEnabled: true,
      instanceChargeType: "PrePaid",
      status: "Running",
      previous: { renewalStatus: "Normal" },
    });
    expect(properties.expiredTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    expect(Date.parse(properties.nextAutoRenewDeduction as string)).toBeGreaterThan(Date.now());
    expect(properties.warning).toBeUndefined();
    expect(writes().map((c) => c.action)).toEqual(["ModifyInstanceAutoRenewAttribute"]);
  });

  it("refuses a Pay-As-You-Go instance with what to do, writing nothing", async () => {
    emulator.clearCalls();
    await expect(create("payg", { instanceId: "i-host00000000003" })).rejects.toThrow(/i-host00000000003 is Pay-As-You-Go.*subscription/);
    expect(writes()).toEqual([]);
  });

  it("refuses auto-renew for an instance that expires within 24 hours and points to a manual renewal", async () => {
    emulator.clearCalls();
    await expect(create("soon", { instanceId: "i-host00000000004" })).rejects.toThrow(/within 24 hours.*Renew it manually first \(a ManualRenewal/);
    expect(writes()).toEqual([]);
  });

  it("refuses a NotRenewal instance: it must be set back to Normal first, deliberately", async () => {
    await expect(create("let-go", { instanceId: "i-host00000000005" })).rejects.toThrow(/NotRenewal.*renewalStatus: "Normal"/);
    expect(attrs("i-host00000000005").renewalStatus).toBe("NotRenewal");
  });

  it("warns when auto-renew cannot act before expiry (less than 9 days left)", async () => {
    const { properties } = await create("late", { instanceId: "i-host00000000006" });
    expect(properties.warning).toMatch(/i-host00000000006 expires at .*\(\d+ days left\).*ManualRenewal/);
    expect(host.stderr.join("\n") + host.stdout.join("\n")).toContain("ManualRenewal");
  });

  it("names the instance and the region when the instance does not exist", async () => {
    await expect(create("ghost", { instanceId: "i-nosuch0000000001" })).rejects.toThrow(/no instance i-nosuch0000000001 in region cn-hangzhou/);
  });

  it("coalesces concurrent creates into batched Describe and Modify calls", async () => {
    emulator.clearCalls();
    // The first 20 batch instances; the rest are kept fresh for later tests.
    const ids = FLEET.instances.filter((i) => i.instanceId.startsWith("i-batch")).map((i) => i.instanceId).slice(0, 20);
    await Promise.all(ids.map((id) => create(`b-${id}`, { instanceId: id, duration: 6 })));
    for (const id of ids) expect(attrs(id)).toEqual({ renewalStatus: "AutoRenewal", duration: 6, periodUnit: "Month" });
    const count = (action: string) => emulator.calls().filter((c) => c.action === action).length;
    expect(count("ModifyInstanceAutoRenewAttribute")).toBeLessThanOrEqual(3);
    expect(count("DescribeInstances")).toBeLessThanOrEqual(4);
    expect(count("DescribeInstanceAutoRenewAttribute")).toBeLessThanOrEqual(8);
  });
});

describe("check and diff", () => {
  it("check fails in preview with the property, the value and what is allowed", async () => {
    const { failures } = await host.check(urn("bad"), {}, { instanceId: "i-host00000000001", duration: 5, __provider: provider });
    expect(failures).toEqual([{ property: "duration", reason: expect.stringContaining('duration: 5 is not allowed with periodUnit "Month"; use one of 1, 2, 3, 6, 12') }]);
  });

  it("check fills the region from stack config", async () => {
    const { inputs } = await host.check(urn("r"), {}, { instanceId: "i-host00000000001", __provider: provider });
    expect(inputs).toMatchObject({ regionId: "cn-hangzhou", renewalStatus: "AutoRenewal", duration: 1, periodUnit: "Month", onDelete: "restore" });
  });

  it("replaces on instance or region, updates on settings, ignores duration while not auto-renewing", async () => {
    const olds = { instanceId: "i-host00000000001", regionId: "cn-hangzhou", renewalStatus: "AutoRenewal", duration: 1, periodUnit: "Month", onDelete: "restore", __provider: provider };
    const diff = (news: Record<string, unknown>) => host.diff("i-host00000000001", urn("d"), olds, { ...olds, ...news });
    expect(await diff({})).toMatchObject({ changes: "none", replaces: [] });
    expect(await diff({ duration: 3 })).toMatchObject({ changes: "some", replaces: [] });
    expect(await diff({ instanceId: "i-host00000000002" })).toMatchObject({ changes: "some", replaces: ["instanceId"], deleteBeforeReplace: true });
    expect(await diff({ regionId: "cn-shanghai" })).toMatchObject({ changes: "some", replaces: ["regionId"] });
    expect(await diff({ onDelete: "NotRenewal" })).toMatchObject({ changes: "some", replaces: [] });
    const normal = { ...olds, renewalStatus: "Normal" };
    expect(await host.diff("i-host00000000001", urn("d"), normal, { ...normal, duration: 12 })).toMatchObject({ changes: "none" });
  });
});

describe("update, read, delete", () => {
  it("updates settings, and an onDelete-only change calls no API", async () => {
    const { id, properties } = await create("upd", { instanceId: "i-host00000000007" });
    const news = { ...properties, duration: 12 };
    const updated = await host.update(id, urn("upd"), properties, news);
    expect(attrs(id)).toEqual({ renewalStatus: "AutoRenewal", duration: 12, periodUnit: "Month" });
    expect(updated.properties).toMatchObject({ duration: 12, previous: { renewalStatus: "Normal" }, autoRenewEnabled: true });
    emulator.clearCalls();
    const onlyOnDelete = await host.update(id, urn("upd"), updated.properties, { ...updated.properties, onDelete: "NotRenewal" });
    expect(onlyOnDelete.properties).toMatchObject({ onDelete: "NotRenewal", duration: 12, expiredTime: properties.expiredTime });
    expect(emulator.calls()).toEqual([]);
  });

  it("an update reads the settings once, after writing them: the state already holds what it found", async () => {
    const { id, properties } = await create("upd-calls", { instanceId: "i-batch0000000028" });
    emulator.clearCalls();
    const updated = await host.update(id, urn("upd-calls"), properties, { ...properties, duration: 6 });
    expect(emulator.calls().map((c) => c.action).sort()).toEqual(["DescribeInstanceAutoRenewAttribute", "DescribeInstances", "ModifyInstanceAutoRenewAttribute"]);
    expect(updated.properties).toMatchObject({ duration: 6, previous: properties.previous, autoRenewEnabled: true });
    expect(attrs(id)).toEqual({ renewalStatus: "AutoRenewal", duration: 6, periodUnit: "Month" });
  });

  it("an update from a recorded NotRenewal to AutoRenewal is refused before any write", async () => {
    const { id, properties } = await create("upd-let-go", { instanceId: "i-batch0000000029", renewalStatus: "NotRenewal" });
    emulator.clearCalls();
    await expect(host.update(id, urn("upd-let-go"), properties, { ...properties, renewalStatus: "AutoRenewal" })).rejects.toThrow(/i-batch0000000029 is set to NotRenewal.*renewalStatus: "Normal"/);
    expect(writes()).toEqual([]);
    expect(attrs(id).renewalStatus).toBe("NotRenewal");
  });

  it("read reports drift made behind the stack's back, as inputs, so preview shows it", async () => {
    const { id, properties } = await create("drift", { instanceId: "i-batch0000000027", duration: 1 });
    emulator.putInstance({ instanceId: id, renewalStatus: "Normal", duration: 0 });
    const read = await host.read(id, urn("drift"), properties, properties);
    expect(read.id).toBe(id);
    expect(read.inputs).toMatchObject({ renewalStatus: "Normal", duration: 1, periodUnit: "Month", onDelete: "restore" });
    expect(read.properties).toMatchObject({ renewalStatus: "Normal", autoRenewEnabled: false });
  });

  it("InstanceRenewal.get adopts an instance's settings by id", async () => {
    const read = await host.read("i-host00000000002", urn("adopted"), { instanceId: "i-host00000000002", __provider: provider });
    expect(read.properties).toMatchObject({ renewalStatus: "AutoRenewal", duration: 2, periodUnit: "Month", regionId: "cn-hangzhou" });
  });

  it("delete with onDelete restore puts back the settings found at create", async () => {
    const { id, properties } = await create("restore-me", { instanceId: "i-batch0000000020", duration: 6, periodUnit: "Month" });
    expect(properties.previous).toMatchObject({ renewalStatus: "Normal" });
    // A fresh host: restoring must not depend on what this process remembers.
    const other = await newHost(stackConfig());
    try {
      await other.delete(id, urn("restore-me"), properties);
    } finally {
      await other.kill();
    }
    expect(attrs(id).renewalStatus).toBe("Normal");
  });

  it("delete with onDelete NotRenewal sets that", async () => {
    const { id, properties } = await create("retire", { instanceId: "i-batch0000000021", onDelete: "NotRenewal" });
    const other = await newHost(stackConfig());
    try {
      await other.delete(id, urn("retire"), properties);
    } finally {
      await other.kill();
    }
    expect(attrs(id).renewalStatus).toBe("NotRenewal");
  });

  it("a released instance: read says gone, delete succeeds with a note", async () => {
    const { id, properties } = await create("released", { instanceId: "i-batch0000000022" });
    emulator.removeInstance(id);
    expect((await host.read(id, urn("released"), properties, properties)).id).toBe("");
    const other = await newHost(stackConfig());
    try {
      await other.delete(id, urn("released"), properties);
      expect(other.stdout.join("\n") + other.stderr.join("\n")).toContain("no longer exists");
    } finally {
      await other.kill();
    }
  });
});

describe("credentials and errors", () => {
  it("takes credentials from the environment when stack config has none", async () => {
    const env = { ...baseEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator", ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET, ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url, ALIBABA_CLOUD_REGION_ID: "cn-hangzhou" };
    const h = await newHost({}, env);
    try {
      const { id } = await create("env-creds", { instanceId: "i-batch0000000023" }, h);
      expect(attrs(id).renewalStatus).toBe("AutoRenewal");
    } finally {
      await h.kill();
    }
  });

  it("takes Terraform's ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY too", async () => {
    const env = { ...baseEnv(), ALICLOUD_ACCESS_KEY: "LTAIemulator", ALICLOUD_SECRET_KEY: SECRET, ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url, ALICLOUD_REGION: "cn-hangzhou" };
    const h = await newHost({}, env);
    try {
      await create("tf-creds", { instanceId: "i-batch0000000024" }, h);
      expect(attrs("i-batch0000000024").renewalStatus).toBe("AutoRenewal");
    } finally {
      await h.kill();
    }
  });

  it("a wrong secret fails with a sentence that never contains the secret", async () => {
    const wrong = "wrong-secret-value-123";
    const h = await newHost(stackConfig({ "alicloud:secretKey": wrong }));
    try {
      const error = await create("wrong", { instanceId: "i-batch0000000025" }, h).catch((e: Error) => e);
      expect(String(error)).toMatch(/signature.*alicloud:secretKey.*SignatureDoesNotMatch/s);
      expect(String(error)).not.toContain(wrong);
      expect(h.stderr.join("\n") + h.stdout.join("\n")).not.toContain(wrong);
    } finally {
      await h.kill();
    }
  });

  it("absorbs throttling with backoff", async () => {
    emulator.faults.add({ action: "ModifyInstanceAutoRenewAttribute", kind: "throttle", perSecond: 0, times: 3 } as never);
    emulator.faults.add({ action: "DescribeInstances", kind: "error", code: "ServiceUnavailable", status: 503, times: 2 } as never);
    try {
      const { id } = await create("throttled", { instanceId: "i-batch0000000026" });
      expect(attrs(id).renewalStatus).toBe("AutoRenewal");
    } finally {
      emulator.faults.clear();
    }
  });

  it("a read-only key gets an error naming the missing RAM action", async () => {
    const ro = await startEmulator({ fleet: FLEET, quiet: true, keys: [{ accessKeyId: "LTAIreadonly", accessKeySecret: "ro-secret", readOnly: true }] });
    const h = await newHost({ ...stackConfig(), "alicloud:accessKey": "LTAIreadonly", "alicloud:secretKey": "ro-secret", "alicloud-renewal:ecsEndpoint": ro.url });
    try {
      await expect(create("ro", { instanceId: "i-host00000000001" }, h)).rejects.toThrow(/not allowed to call ecs:ModifyInstanceAutoRenewAttribute on instance i-host00000000001.*Forbidden\.RAM/);
    } finally {
      await h.kill();
      await ro.close();
    }
  });
});
