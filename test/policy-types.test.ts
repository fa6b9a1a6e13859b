// The type tokens the policy pack judges by are the ones this package's resources register with the engine
// (read off a program run under Pulumi's mocks), so a renamed resource cannot silently escape the policies.
// ManualRenewal quotes its renewal while the program runs: the emulator answers, as in every other test.
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTANCE_RENEWAL, MANUAL_RENEWAL, RENEWAL_ORDER } from "../provider/policy/index";
import { DEFAULT_KEY, startEmulator, type Emulator } from "./emulator";

let emulator: Emulator;
const saved = { ...process.env };
beforeAll(async () => {
  emulator = await startEmulator({ fleet: { balance: 1000, instances: [] }, quiet: true });
  emulator.putInstance({ instanceId: "i-bp1demo000000000004", expiresInDays: 10, monthlyPrice: 100 });
  Object.assign(process.env, {
    ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_KEY.accessKeySecret,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
  });
});
afterAll(async () => {
  process.env = saved;
  await emulator?.idle();
  await emulator?.close();
});

describe("policy type tokens", () => {
  it("match what InstanceRenewal and ManualRenewal (with its order) register", async () => {
    const registered: Array<{ type: string; name: string }> = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name });
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "shop",
      "dev",
      false,
    );
    const { InstanceRenewal, ManualRenewal } = await import("../provider/index");
    const renewal = new InstanceRenewal("web-renewal", { instanceId: "i-bp1demo000000000001", regionId: "cn-hangzhou" });
    const manual = new ManualRenewal("urgent", { instanceId: "i-bp1demo000000000004", regionId: "cn-hangzhou" });
    await new Promise<void>((resolve) => pulumi.all([renewal.urn, manual.urn, manual.orderId]).apply(() => resolve()));
    expect(registered).toEqual(
      expect.arrayContaining([
        { type: INSTANCE_RENEWAL, name: "web-renewal" },
        { type: MANUAL_RENEWAL, name: "urgent" },
        { type: RENEWAL_ORDER, name: "urgent-order" },
      ]),
    );
  });
});
