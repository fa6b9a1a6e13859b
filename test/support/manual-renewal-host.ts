// For the ManualRenewal tests that drive the real dynamic-provider host step by step: the serialized
// providers a program stores for ManualRenewal's two children, their URNs, and a host configured for an
// emulator with the test tuning knobs.
import path from "node:path";
import { ManualRenewal } from "pulumi-alicloud-renewal";
import type { Emulator } from "../emulator";
import { startProviderHost, type ProviderHost } from "../engine/host";
import { captureRegistrations } from "./serialized-provider";

export const PLAN_TYPE = "pulumi-nodejs:dynamic/alicloud-renewal:RenewalPlan";
export const ORDER_TYPE = "pulumi-nodejs:dynamic/alicloud-renewal:RenewalOrder";
const ROOT = path.resolve(__dirname, "..", "..");

export const childUrn = (stack: string, type: string, name: string) => `urn:pulumi:${stack}::renewal::alicloud-renewal:index:ManualRenewal$${type}::${name}`;

/** The `__provider` of each child type, as a program stores it. */
export async function manualRenewalShims(): Promise<Record<string, string>> {
  const shims: Record<string, string> = {};
  for (const r of await captureRegistrations(() => new ManualRenewal("probe", { instanceId: "i-probe0001" }))) shims[r.type] = r.inputs.__provider as string;
  return shims;
}

/** A provider host pointed at `emulator`: fast retries, and this long to wait for a new expiry to show. */
export async function startRenewalHost(emulator: Emulator, consistencyMs: number): Promise<ProviderHost> {
  const env = { ...process.env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true", ALICLOUD_RENEWAL_RETRY_BASE_MS: "5", ALICLOUD_RENEWAL_CONSISTENCY_TIMEOUT_MS: String(consistencyMs) };
  const host = await startProviderHost({ cwd: ROOT, env });
  await host.configure({ "alicloud:region": "cn-hangzhou", "alicloud:accessKey": "LTAIemulator", "alicloud:secretKey": "emulator-secret", "alicloud-renewal:ecsEndpoint": emulator.url });
  return host;
}
