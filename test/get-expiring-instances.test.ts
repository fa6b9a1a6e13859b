// getExpiringInstances in a Pulumi program, run by the local engine: `products` brings in other products
// through BSS, whose endpoint comes from stack config alicloud-renewal:bssEndpoint like ECS's.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_FLEET, startEmulator, type Emulator } from "./emulator";
import { runEngine } from "./engine";

const PROJECT = path.join(__dirname, "fixtures", "subscriptions");
let emulator: Emulator;
let tmp: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startEmulator({ fleet: DEMO_FLEET, quiet: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "subscriptions-"));
  env = { ...process.env, ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret", ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" };
  delete env.ALIBABA_CLOUD_BSS_ENDPOINT;
});
beforeEach(async () => {
  await emulator.idle();
  emulator.reset();
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function rows(config: Record<string, string>): Promise<string[]> {
  const result = await runEngine("up", { cwd: PROJECT, stack: "dev", stateFile: path.join(tmp, `${Object.values(config).join("-")}.json`), env, config });
  expect(result.ok, result.error).toBe(true);
  return result.outputs!.rows as string[];
}

describe("getExpiringInstances", () => {
  it("lists ECS instances of the stack's region by default, and no BSS call is made", async () => {
    const ecs = await rows({});
    expect(ecs).toHaveLength(9);
    expect(ecs.every((r) => r.startsWith("ecs instance i-") && r.includes(" cn-hangzhou "))).toBe(true);
    expect(emulator.calls().some((c) => c.action === "QueryAvailableInstances")).toBe(false);
  });

  it("with products and allRegions, adds BSS subscriptions beside the ECS instances, the BSS endpoint from stack config", async () => {
    const all = await rows({ products: '"all"', allRegions: "true", "alicloud-renewal:bssEndpoint": emulator.url });
    expect(all.filter((r) => !r.startsWith("ecs "))).toEqual([
      "kvstore kvstore r-bp1demo00000001 cn-hangzhou Normal lapses",
      "slb slb lb-uf6demo00000001 cn-shanghai NotRenewal not-renewal",
      "rds rds rm-bp1demo00000001 cn-hangzhou AutoRenewal auto-renew",
    ]);
    expect(all.filter((r) => r.startsWith("ecs instance "))).toHaveLength(10);
    const picked = await rows({ products: '["rds"]', "alicloud-renewal:bssEndpoint": emulator.url });
    expect(picked).toEqual(["rds rds rm-bp1demo00000001 cn-hangzhou AutoRenewal auto-renew"]);
  });
});
