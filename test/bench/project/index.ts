// N auto-renew resources over the emulator's generated fleet i-bench0000000001…
import * as pulumi from "@pulumi/pulumi";
import { InstanceRenewal } from "pulumi-alicloud-renewal";

const config = new pulumi.Config();
const count = config.requireNumber("count");
const duration = config.getNumber("duration") ?? 1;

for (let i = 1; i <= count; i++) {
  const instanceId = `i-bench${String(i).padStart(10, "0")}`;
  new InstanceRenewal(instanceId, { instanceId, duration });
}

export const resources = count;
