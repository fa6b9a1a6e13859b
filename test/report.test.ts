// `npx pulumi-alicloud-renewal report` against the emulator, as a user runs it in CI or a terminal.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FLEET, startEmulator, type Emulator } from "./emulator";

const run = promisify(execFile);
const BIN = path.resolve(__dirname, "..", "node_modules", ".bin", "pulumi-alicloud-renewal");
let emulator: Emulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startEmulator({ fleet: DEMO_FLEET, quiet: true });
  env = { ...process.env, ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret", ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url, ALIBABA_CLOUD_REGION_ID: "cn-hangzhou", ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" };
});
afterAll(() => emulator.close());

describe("report", () => {
  it("lists instances by days left with renewal status, deduction date and warnings (markdown for a PR)", async () => {
    const { stdout } = await run(BIN, ["report", "--within-days", "30", "--format", "markdown"], { env });
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("### ECS renewal report: cn-hangzhou, expiring within 30 days");
    expect(lines[2]).toBe("| instance | region | expires (UTC) | days left | renewal | auto-renew deduction | warning |");
    const rows = lines.filter((l) => l.startsWith("| i-"));
    expect(rows.map((r) => r.split(" | ")[0].slice(2))).toEqual(["i-bp1demo000000000004", "i-bp1emr0000000000001", "i-bp1emr0000000000002", "i-bp1demo000000000005"]);
    expect(rows[0]).toContain(":warning: manual renewal: nobody renews it automatically");
    expect(rows[3]).toContain("set to expire without renewal");
    expect(stdout).toContain("4 subscription instances, 3 at risk of lapsing.");
  });

  it("json lists everything with --all, and the tag filter selects a cluster", async () => {
    const { stdout } = await run(BIN, ["report", "--all", "--tag", "acs:emr:clusterId=c-demo00000001", "--format", "json"], { env });
    const report = JSON.parse(stdout);
    expect(report.instances.map((i: { instanceId: string }) => i.instanceId)).toEqual(["i-bp1emr0000000000001", "i-bp1emr0000000000002", "i-bp1emr0000000000003"]);
    expect(report.instances[2]).toMatchObject({ renewalStatus: "AutoRenewal", autoRenewDuration: 1, nextAutoRenewDeduction: expect.any(String), atRisk: false });
  });

  it("rejects a bad format with what is allowed", async () => {
    const error = await run(BIN, ["report", "--format", "html"], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2, stderr: expect.stringContaining('--format: "html" is not allowed; use table, markdown or json') });
  });
});
