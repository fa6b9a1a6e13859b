// Non-dynamic resources the examples use, created for real in the ECS emulator through its admin API,
// so a program that declares renewal next to its instance runs end to end.
import type { HandlerContext, ResourceHandler } from "./handlers";

function emulatorUrl(ctx: HandlerContext): string {
  const endpoint = ctx.config["alicloud-renewal:ecsEndpoint"] ?? ctx.env.ALIBABA_CLOUD_ECS_ENDPOINT;
  if (!endpoint) throw new Error("alicloud:ecs/instance:Instance needs the emulator: set ALIBABA_CLOUD_ECS_ENDPOINT");
  return endpoint.includes("://") ? endpoint : `http://${endpoint}`;
}

async function admin(ctx: HandlerContext, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emulatorUrl(ctx)}/_emulator/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { "content-type": "application/json" } });
  if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

let sequence = 0;

/** alicloud.ecs.Instance: a PrePaid instance bought for `period` months (or PostPaid), in the emulator. */
export const ecsInstanceHandler: ResourceHandler = {
  async create(inputs, ctx) {
    const id = `i-pulumi${Date.now().toString(36)}${(++sequence).toString(36)}`.toLowerCase();
    const prepaid = inputs.instanceChargeType === "PrePaid";
    const months = Number(inputs.period ?? 1) * (inputs.periodUnit === "Week" ? 0.25 : 1);
    await admin(ctx, "POST", "instances", {
      instanceId: id,
      regionId: ctx.config["alicloud:region"] ?? ctx.env.ALIBABA_CLOUD_REGION_ID ?? "cn-hangzhou",
      instanceChargeType: prepaid ? "PrePaid" : "PostPaid",
      status: "Running",
      expiresInDays: Math.round(months * 30),
      renewalStatus: inputs.renewalStatus ?? "Normal",
      monthlyPrice: 150,
      tags: inputs.tags ?? {},
    });
    return { id, outputs: { ...inputs, id, status: "Running" } };
  },
  async update(_id, olds, news) {
    return { ...olds, ...news };
  },
  async delete(id, _outputs, ctx) {
    await admin(ctx, "DELETE", `instances/${encodeURIComponent(id)}`);
  },
  async read(id, outputs, ctx) {
    const instances = (await admin(ctx, "GET", "instances")) as Array<{ instanceId: string }>;
    return instances.some((i) => i.instanceId === id) ? outputs : undefined;
  },
};
