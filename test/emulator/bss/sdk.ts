// The unmodified BSS SDK pointed at the emulator, as the provider builds it (endpoint "127.0.0.1:PORT", http).
import Bss from "@alicloud/bssopenapi20171214";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { DEFAULT_KEY, type EmulatorKey } from "../index";

export type BssClient = InstanceType<typeof Bss>;

export function bssClient(emulator: { endpoint: string }, key: Partial<EmulatorKey> = DEFAULT_KEY): BssClient {
  return new Bss(
    new $OpenApiUtil.Config({
      accessKeyId: key.accessKeyId ?? DEFAULT_KEY.accessKeyId,
      accessKeySecret: key.accessKeySecret ?? DEFAULT_KEY.accessKeySecret,
      ...(key.securityToken ? { securityToken: key.securityToken } : {}),
      endpoint: emulator.endpoint,
      protocol: "http",
      regionId: "cn-hangzhou",
    }),
  );
}
