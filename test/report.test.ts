// `npx pulumi-alicloud-renewal report` against the emulator, as a user runs it in CI or a terminal: the
// formats, the CI gate's exit codes, every region, and other products through BSS.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_FLEET, startEmulator, type Emulator } from "./emulator";

const exec = promisify(execFile);
const BIN = path.resolve(__dirname, "..", "node_modules", ".bin", "pulumi-alicloud-renewal");
let emulator: Emulator;
let env: NodeJS.ProcessEnv;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function report(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await exec(BIN, ["report", ...args], { env: { ...env, ...extraEnv } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const rowsOf = (o: Outcome) => JSON.parse(o.stdout).instances as Array<Record<string, unknown>>;

beforeAll(async () => {
  emulator = await startEmulator({ fleet: DEMO_FLEET, quiet: true });
  env = {
    ...process.env,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
    ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url,
    ALIBABA_CLOUD_BSS_ENDPOINT: emulator.url,
    ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
  };
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.idle();
  emulator.reset();
});

describe("report", () => {
  it("lists instances by days left with product, renewal status, deduction date and warnings (markdown for a PR)", async () => {
    const { stdout, code } = await report(["--within-days", "30", "--format", "markdown"]);
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("### ECS renewal report: cn-hangzhou, expiring within 30 days");
    expect(lines[2]).toBe("| instance | product | region | expires (UTC) | days left | renewal | auto-renew deduction | warning |");
    const rows = lines.filter((l) => l.startsWith("| i-"));
    expect(rows.map((r) => r.split(" | ")[0].slice(2))).toEqual(["i-bp1demo000000000004", "i-bp1emr0000000000001", "i-bp1emr0000000000002", "i-bp1demo000000000005"]);
    expect(rows[0]).toContain("| ecs instance | cn-hangzhou |");
    expect(rows[0]).toContain(":warning: manual renewal: nobody renews it automatically");
    expect(rows[3]).toContain("set to expire without renewal");
    expect(stdout).toContain("4 subscription instances, 3 at risk of lapsing.");
  });

  it("json lists everything with --all, and the tag filter selects a cluster", async () => {
    const o = await report(["--all", "--tag", "acs:emr:clusterId=c-demo00000001", "--format", "json"]);
    const rows = rowsOf(o);
    expect(rows.map((i) => i.instanceId)).toEqual(["i-bp1emr0000000000001", "i-bp1emr0000000000002", "i-bp1emr0000000000003"]);
    expect(rows[2]).toMatchObject({ product: "ecs", kind: "instance", renewalStatus: "AutoRenewal", autoRenewDuration: 1, nextAutoRenewDeduction: expect.any(String), risk: "auto-renew", atRisk: false });
    expect(rows[0]).toMatchObject({ risk: "lapses", atRisk: true });
    // Released 15 days after expiry unless renewed; auto-renew's window opens at 08:00 UTC+8 on the 9th day before.
    const r = rows[2] as { expiredTime: string; releaseTime: string; autoRenewWindowStart: string };
    expect(Date.parse(r.releaseTime) - Date.parse(r.expiredTime)).toBe(15 * 86_400_000);
    expect(r.autoRenewWindowStart).toMatch(/T00:00:00\.000Z$/);
  });

  it("rejects a bad format, an unknown product code and a bad tag with what is allowed (exit 2)", async () => {
    expect(await report(["--format", "pdf"])).toMatchObject({ code: 2, stderr: expect.stringContaining('--format: "pdf" is not allowed; use table, markdown, json, html, prometheus') });
    expect(await report(["--products", "RDS"])).toMatchObject({ code: 2, stderr: expect.stringContaining('--products: "RDS" is not a product code') });
    expect(await report(["--tag", "novalue"])).toMatchObject({ code: 2, stderr: expect.stringContaining('--tag: "novalue" is not key=value') });
    expect(await report(["--region", "cn-hangzhou", "--all-regions"])).toMatchObject({ code: 2 });
  });
});

describe("--fail-on-risk", () => {
  it("exits 3 when something lapses unless someone acts, 0 when nothing does, 1 on an error", async () => {
    const risky = await report(["--within-days", "30", "--fail-on-risk"]);
    expect(risky.code).toBe(3);
    expect(risky.stdout).toContain("3 at risk of lapsing");
    // Only the deliberately NotRenewal instance: nothing at risk.
    const calm = await report(["--within-days", "30", "--tag", "app=legacy", "--fail-on-risk"]);
    expect(calm).toMatchObject({ code: 0, stdout: expect.stringContaining("1 subscription instance, 0 at risk") });
    // Auto-renew fixes it: the same window goes green.
    for (const id of ["i-bp1demo000000000004", "i-bp1emr0000000000001", "i-bp1emr0000000000002"]) emulator.putInstance({ instanceId: id, expiresInDays: 29, renewalStatus: "AutoRenewal", duration: 1 });
    expect((await report(["--within-days", "30", "--fail-on-risk"])).code).toBe(0);
    const broken = await report(["--fail-on-risk"], { ALIBABA_CLOUD_ACCESS_KEY_SECRET: "wrong-secret" });
    expect(broken).toMatchObject({ code: 1, stderr: expect.stringContaining("SignatureDoesNotMatch") });
    expect(broken.stderr).not.toContain("wrong-secret");
  });
});

describe("--all-regions", () => {
  it("reads every region DescribeRegions lists, with a progress line per region on stderr", async () => {
    const o = await report(["--all-regions", "--all", "--format", "json"]);
    expect(o.code).toBe(0);
    const regions = emulator.calls().filter((c) => c.action === "DescribeRegions");
    expect(regions).toHaveLength(1);
    const described = emulator.calls().filter((c) => c.action === "DescribeInstances").length;
    expect(described).toBeGreaterThan(20);
    const progress = o.stderr.trim().split("\n");
    expect(progress).toHaveLength(described);
    expect(progress.at(-1)).toMatch(new RegExp(`^regions ${described}/${described}: `));
    expect(progress.filter((l) => /^regions \d+\/\d+: cn-shanghai 1 subscription$/.test(l))).toHaveLength(1);
    const rows = rowsOf(o);
    expect(new Set(rows.map((r) => r.regionId))).toEqual(new Set(["cn-hangzhou", "cn-shanghai"]));
    expect(rows).toHaveLength(10);
  });

  it("stays within the rate limits: a throttled DescribeInstances slows the run down, nothing fails", async () => {
    emulator.faults.add({ action: "DescribeInstances", kind: "throttle", perSecond: 5 });
    const o = await report(["--all-regions", "--all", "--format", "json"]);
    expect(o.code, o.stderr).toBe(0);
    expect(rowsOf(o)).toHaveLength(10);
    const throttled = emulator.calls().filter((c) => c.outcome === "Throttling.User").length;
    expect(throttled).toBeGreaterThan(0);
  }, 120_000);
});

describe("all products through BSS", () => {
  it("shows other products' subscriptions beside ECS instances, ECS rows with their auto-renew attributes, each once", async () => {
    const o = await report(["--products", "all", "--all-regions", "--all", "--format", "json"]);
    expect(o.code, o.stderr).toBe(0);
    const rows = rowsOf(o);
    const ids = rows.map((r) => r.instanceId as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(rows.filter((r) => r.product === "ecs")).toHaveLength(10);
    expect(rows.filter((r) => r.product !== "ecs").map((r) => [r.product, r.instanceId, r.regionId, r.renewalStatus, r.risk])).toEqual([
      ["kvstore", "r-bp1demo00000001", "cn-hangzhou", "Normal", "lapses"],
      ["slb", "lb-uf6demo00000001", "cn-shanghai", "NotRenewal", "not-renewal"],
      ["rds", "rm-bp1demo00000001", "cn-hangzhou", "AutoRenewal", "auto-renew"],
    ]);
    // ECS rows come from ECS, with the attributes BSS does not have (kind "instance", duration and unit).
    expect(rows.find((r) => r.instanceId === "i-bp1demo000000000003")).toMatchObject({ kind: "instance", source: "ecs", autoRenewDuration: 12, autoRenewPeriodUnit: "Month" });
    expect(rows.find((r) => r.instanceId === "rm-bp1demo00000001")).toMatchObject({ source: "bss", kind: "rds", autoRenewDuration: 1, autoRenewPeriodUnit: "Month" });
    expect(emulator.calls().filter((c) => c.action === "QueryAvailableInstances")).toHaveLength(1);
  });

  it("a list of products reads BSS per product; one region keeps that region's rows; ecs alone never calls BSS", async () => {
    const o = await report(["--products", "ecs,rds,slb", "--all", "--format", "json"]);
    const rows = rowsOf(o);
    expect(rows.filter((r) => r.product !== "ecs").map((r) => r.instanceId)).toEqual(["rm-bp1demo00000001"]);
    expect(emulator.calls().filter((c) => c.action === "QueryAvailableInstances")).toHaveLength(2);
    emulator.clearCalls();
    await report(["--all", "--format", "json"]);
    expect(emulator.calls().filter((c) => c.action === "QueryAvailableInstances")).toHaveLength(0);
  });

  it("a BSS error is a sentence with the API code and request id; the BSS endpoint can be given on the command line", async () => {
    emulator.faults.add({ action: "QueryAvailableInstances", kind: "error", code: "NotApplicable", status: 400 });
    const o = await report(["--products", "all"]);
    expect(o.code).toBe(1);
    expect(o.stderr).toMatch(/international-site .* business\.ap-southeast-1\.aliyuncs\.com.*\(BSS QueryAvailableInstances error NotApplicable, request id [0-9A-F-]{36}\)/s);
    emulator.faults.clear();
    const flag = await report(["--products", "rds", "--all", "--bss-endpoint", emulator.url, "--format", "json"], { ALIBABA_CLOUD_BSS_ENDPOINT: "http://127.0.0.1:1" });
    expect(flag.code, flag.stderr).toBe(0);
    expect(rowsOf(flag).map((r) => r.instanceId)).toContain("rm-bp1demo00000001");
  });
});

describe("every subscription family (--kinds)", () => {
  const withFamilies = () => {
    const demo = JSON.parse(fs.readFileSync(DEMO_FLEET, "utf8"));
    emulator.reset({
      ...demo,
      dedicatedHosts: [{ dedicatedHostId: "dh-bp1demo00000001", expiresInDays: 45, renewalStatus: "AutoRenewal", duration: 1, monthlyPrice: 900 }],
      reservedInstances: [{ reservedInstanceId: "ecsri-bp1demo000001", expiresInDays: 8, monthlyPrice: 60 }],
      elasticityAssurances: [{ elasticityAssuranceId: "eap-bp1demo00000001", expiresInDays: 14, renewalStatus: "NotRenewal", monthlyPrice: 40 }],
    });
  };

  it("adds dedicated hosts, reserved instances, elasticity assurances and the EMR fee, each with its settings and risk", async () => {
    withFamilies();
    const o = await report(["--within-days", "60", "--kinds", "all", "--format", "json"], { ALIBABA_CLOUD_EMR_ENDPOINT: emulator.url });
    expect(o.code, o.stderr).toBe(0);
    const byId = Object.fromEntries(rowsOf(o).map((r) => [r.instanceId, r]));
    expect(byId["dh-bp1demo00000001"]).toMatchObject({ product: "ecs", kind: "dedicatedHost", renewalStatus: "AutoRenewal", autoRenewDuration: 1, risk: "auto-renew" });
    expect(byId["ecsri-bp1demo000001"]).toMatchObject({ product: "ecs", kind: "reservedInstance", renewalStatus: "Normal", risk: "lapses", atRisk: true });
    expect(byId["eap-bp1demo00000001"]).toMatchObject({ product: "ecs", kind: "elasticityAssurance", renewalStatus: "NotRenewal", risk: "not-renewal" });
    expect(byId["c-demo00000001"]).toMatchObject({ product: "emr", kind: "emrCluster", renewalStatus: "Normal", risk: "lapses", expiredTime: emulator.family("c-demo00000001")!.expiredTime });
    expect(byId["i-bp1demo000000000004"]).toMatchObject({ kind: "instance" });
    // Only what was asked: the default is instances alone, and a list names the families.
    const hosts = await report(["--within-days", "60", "--kinds", "dedicatedHost", "--format", "json"]);
    expect(rowsOf(hosts).map((r) => r.kind)).toEqual(["dedicatedHost"]);
    const plain = await report(["--within-days", "60", "--format", "json"]);
    expect(new Set(rowsOf(plain).map((r) => r.kind))).toEqual(new Set(["instance"]));
    expect(emulator.calls().filter((c) => c.action === "DescribeDedicatedHosts")).toHaveLength(2);
  });

  it("refuses a family it does not know, naming the ones it does (exit 2)", async () => {
    expect(await report(["--kinds", "disk"])).toMatchObject({ code: 2, stderr: expect.stringContaining('--kinds: "disk" is not a subscription family; use all, or some of instance, dedicatedHost, reservedInstance, elasticityAssurance, emrCluster') });
  });
});
