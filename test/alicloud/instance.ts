// A stand-in for `alicloud:ecs/instance:Instance` of the bridged @pulumi/alicloud provider, behaving as it does
// where renewal is concerned, with its instances kept in the ECS emulator. One implementation serves both the
// local engine's handler (test/engine/alicloud.ts) and the resource plugin the real CLI loads (plugin.ts).
//
// What the bridged provider does (terraform-provider-alicloud's alicloud_instance, which it wraps):
// - `renewalStatus` defaults to "Normal" and `autoRenewPeriod` to 1 (filled in by Check, as schema defaults);
//   a change of `renewalStatus` is ignored for a PostPaid instance, a change of `autoRenewPeriod` unless the
//   instance is PrePaid and `renewalStatus` is "AutoRenewal";
// - refresh (Read) reads both back with DescribeInstanceAutoRenewAttribute (a Year duration as months);
// - an update that changes them calls ModifyInstanceAutoRenewAttribute (RenewalStatus; Duration and
//   PeriodUnit with AutoRenewal);
// - `period` only buys the first term: changing it later renews nothing.
// The emulator does not model RunInstances/DeleteInstances, so create and delete go through its admin API;
// reads and the renewal write go through the official SDK, signed with the provider's credentials.
import Ecs, * as $Ecs from "@alicloud/ecs20140526";
import { $OpenApiUtil } from "@alicloud/openapi-core";

export const INSTANCE_TYPE = "alicloud:ecs/instance:Instance";

export type Props = Record<string, unknown>;

/** The provider's configuration: the stack's `alicloud:*` keys, without the namespace. */
export interface AlicloudConfig {
  region?: string;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
}

export interface InstanceContext {
  config: AlicloudConfig;
  env: NodeJS.ProcessEnv;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

const RENEWAL_STATUSES = ["AutoRenewal", "Normal", "NotRenewal"];
const AUTO_RENEW_PERIODS = [1, 2, 3, 6, 12];

/** `alicloud:region` etc. out of a whole stack config keyed `namespace:key`. */
export function alicloudConfig(stackConfig: Record<string, string>): AlicloudConfig {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(stackConfig)) if (key.startsWith("alicloud:")) out[key.slice("alicloud:".length)] = value;
  return out;
}

function regionOf(ctx: InstanceContext): string {
  return ctx.config.region ?? ctx.env.ALICLOUD_REGION ?? ctx.env.ALIBABA_CLOUD_REGION_ID ?? "cn-hangzhou";
}

/** The emulator's base URL: the double has no other cloud to talk to. */
function endpointOf(ctx: InstanceContext): URL {
  const endpoint = ctx.env.ALIBABA_CLOUD_ECS_ENDPOINT;
  if (!endpoint) throw new Error(`${INSTANCE_TYPE} (test double) needs the ECS emulator: set ALIBABA_CLOUD_ECS_ENDPOINT`);
  return new URL(endpoint.includes("://") ? endpoint : `http://${endpoint}`);
}

function sdkClient(ctx: InstanceContext) {
  const accessKeyId = ctx.config.accessKey ?? ctx.env.ALICLOUD_ACCESS_KEY ?? ctx.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = ctx.config.secretKey ?? ctx.env.ALICLOUD_SECRET_KEY ?? ctx.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  const securityToken = ctx.config.securityToken ?? ctx.env.ALICLOUD_SECURITY_TOKEN ?? ctx.env.ALIBABA_CLOUD_SECURITY_TOKEN;
  if (!accessKeyId || !accessKeySecret) throw new Error(`${INSTANCE_TYPE}: no credentials; set alicloud:accessKey and alicloud:secretKey, or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY`);
  const url = endpointOf(ctx);
  return new Ecs(
    new $OpenApiUtil.Config({ accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}), endpoint: url.host, protocol: url.protocol.replace(":", ""), regionId: regionOf(ctx) }),
  );
}

async function admin(ctx: InstanceContext, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(new URL(`/_emulator/${path}`, endpointOf(ctx)), { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { "content-type": "application/json" } });
  if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const prepaid = (props: Props) => props.instanceChargeType === "PrePaid";

/** The renewal keys whose change the bridged provider acts on, after its diff suppression. */
function renewalChanges(olds: Props, news: Props): string[] {
  const changed: string[] = [];
  if (!prepaid(news)) return changed;
  if (olds.renewalStatus !== news.renewalStatus) changed.push("renewalStatus");
  if (news.renewalStatus === "AutoRenewal" && olds.autoRenewPeriod !== news.autoRenewPeriod) changed.push("autoRenewPeriod");
  return changed;
}

/** Inputs the bridged provider compares; computed outputs (status, …) are not among them. */
const SUPPRESSED = new Set(["renewalStatus", "autoRenewPeriod"]);

let sequence = 0;

export const instanceResource = {
  /** Schema defaults filled in, values checked against the schema's sets. */
  check(_olds: Props, news: Props): { inputs: Props; failures: CheckFailure[] } {
    const inputs: Props = { renewalStatus: "Normal", autoRenewPeriod: 1, ...news };
    const failures: CheckFailure[] = [];
    if (typeof inputs.renewalStatus === "string" && !RENEWAL_STATUSES.includes(inputs.renewalStatus)) {
      failures.push({ property: "renewalStatus", reason: `expected renewal_status to be one of [${RENEWAL_STATUSES.join(" ")}], got ${inputs.renewalStatus}` });
    }
    if (typeof inputs.autoRenewPeriod === "number" && !AUTO_RENEW_PERIODS.includes(inputs.autoRenewPeriod)) {
      failures.push({ property: "autoRenewPeriod", reason: `expected auto_renew_period to be one of [${AUTO_RENEW_PERIODS.join(" ")}], got ${inputs.autoRenewPeriod}` });
    }
    return { inputs, failures };
  },

  /** Changed input keys against the recorded outputs; nothing here forces a replacement. */
  diff(olds: Props, news: Props): { changes: boolean; diffs: string[] } {
    const diffs = Object.keys(news).filter((k) => !k.startsWith("__") && !SUPPRESSED.has(k) && JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    diffs.push(...renewalChanges(olds, news));
    return { changes: diffs.length > 0, diffs: diffs.sort() };
  },

  async create(inputs: Props, ctx: InstanceContext): Promise<{ id: string; outputs: Props }> {
    const id = `i-pulumi${Date.now().toString(36)}${(++sequence).toString(36)}${process.pid.toString(36)}`.toLowerCase();
    const months = Number(inputs.period ?? 1) * (inputs.periodUnit === "Week" ? 0.25 : 1);
    const auto = inputs.renewalStatus === "AutoRenewal";
    await admin(ctx, "POST", "instances", {
      instanceId: id,
      regionId: regionOf(ctx),
      instanceChargeType: prepaid(inputs) ? "PrePaid" : "PostPaid",
      status: "Running",
      expiresInDays: Math.round(months * 30),
      renewalStatus: inputs.renewalStatus ?? "Normal",
      duration: auto ? Number(inputs.autoRenewPeriod ?? 1) : 0,
      monthlyPrice: 150,
      tags: inputs.tags ?? {},
    });
    const read = await instanceResource.read(id, inputs, ctx);
    return { id, outputs: read?.outputs ?? { ...inputs, id } };
  },

  /** Undefined when the instance is gone. */
  async read(id: string, props: Props, ctx: InstanceContext): Promise<{ outputs: Props; inputs: Props } | undefined> {
    const client = sdkClient(ctx);
    const regionId = regionOf(ctx);
    const found = await client.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([id]) }));
    const instance = found.body?.instances?.instance?.[0];
    if (!instance) return undefined;
    const outputs: Props = { ...props, id, status: instance.status, instanceChargeType: instance.instanceChargeType };
    if (instance.instanceChargeType === "PrePaid") {
      const res = await client.describeInstanceAutoRenewAttribute(new $Ecs.DescribeInstanceAutoRenewAttributeRequest({ regionId, instanceId: id }));
      const attr = res.body?.instanceRenewAttributes?.instanceRenewAttribute?.[0];
      if (attr) {
        outputs.renewalStatus = attr.renewalStatus;
        outputs.autoRenewPeriod = (attr.duration ?? 0) * (attr.periodUnit === "Year" ? 12 : 1);
      }
    }
    // Refresh brings the read values into the inputs it recorded, as the bridge does.
    const inputs: Props = { ...props };
    for (const k of ["renewalStatus", "autoRenewPeriod"]) if (k in inputs) inputs[k] = outputs[k];
    delete inputs.id;
    delete inputs.status;
    return { outputs, inputs };
  },

  async update(id: string, olds: Props, news: Props, ctx: InstanceContext): Promise<Props> {
    const changed = renewalChanges(olds, news);
    if (changed.length) {
      const auto = news.renewalStatus === "AutoRenewal";
      await sdkClient(ctx).modifyInstanceAutoRenewAttribute(
        new $Ecs.ModifyInstanceAutoRenewAttributeRequest({
          regionId: regionOf(ctx),
          instanceId: id,
          renewalStatus: news.renewalStatus as string,
          ...(auto ? { duration: Number(news.autoRenewPeriod ?? 1), periodUnit: (news.periodUnit as string) ?? "Month", autoRenew: true } : {}),
        }),
      );
    }
    if (JSON.stringify(olds.tags ?? {}) !== JSON.stringify(news.tags ?? {})) await admin(ctx, "POST", "instances", { instanceId: id, tags: news.tags ?? {} });
    const read = await instanceResource.read(id, news, ctx);
    if (!read) throw new Error(`${INSTANCE_TYPE}: instance ${id} is gone`);
    return read.outputs;
  },

  /** An instance already gone counts as deleted, as the bridged provider treats InvalidInstanceId.NotFound. */
  async delete(id: string, ctx: InstanceContext): Promise<void> {
    const res = await fetch(new URL(`/_emulator/instances/${encodeURIComponent(id)}`, endpointOf(ctx)), { method: "DELETE" });
    if (!res.ok && res.status !== 404) throw new Error(`emulator DELETE instances/${id}: ${res.status} ${await res.text()}`);
  },
};
