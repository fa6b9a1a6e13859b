// The one place that builds ECS SDK clients and calls them: lazily loaded SDK, one shared client per
// (region, credentials, endpoint), bounded concurrency per client, timeouts, retries, error mapping.
// Controllers never touch the SDK; they call EcsApi through the batcher.

import { definedOnly } from "../defined";
import { secretsOf, type CredentialSource, type ProviderSettings } from "../settings";
import { describeEcsError, redact, RenewalError, retryableForIdempotentCall, type EcsCallContext } from "./errors";
import { Semaphore, withRetry, type RetryOptions } from "./retry";
import type { SettingsAttribute, SubscriptionInfo } from "../families/family";
import { canonicalUnit, type AutoRenewPeriodUnit, type PriceQuery } from "./value-sets";

export type RenewalStatus = "AutoRenewal" | "Normal" | "NotRenewal";
export type { AutoRenewPeriodUnit };

/** An instance's auto-renew attribute: the family-wide fields, and the instance's own names for them. */
export interface RenewAttribute extends SettingsAttribute {
  instanceId: string;
}

/** An instance as DescribeInstances shows it: the family-wide fields, and the instance's own names for them. */
export interface InstanceInfo extends SubscriptionInfo {
  instanceId: string;
  instanceChargeType: string;
}

export interface AutoRenewSettings {
  renewalStatus: RenewalStatus;
  duration?: number;
  periodUnit?: AutoRenewPeriodUnit;
}

export interface RegionInfo {
  regionId: string;
  localName: string;
}

export interface InstanceQuery {
  instanceIds?: string[];
  instanceChargeType?: "PrePaid" | "PostPaid";
  tags?: Record<string, string>;
  /** `yyyy-MM-ddTHH:mmZ`, UTC. */
  expiredStartTime?: string;
  expiredEndTime?: string;
}

export interface RenewOrder {
  instanceId: string;
  period?: number;
  periodUnit?: "Month" | "Week";
  expectedRenewDay?: number;
  clientToken: string;
}

export interface RenewalPrice {
  tradePrice: number;
  originalPrice: number;
  discountPrice: number;
  currency: string;
}

export interface EcsApiOptions {
  /** Concurrent calls per client (region). */
  concurrency?: number;
  retry?: Partial<Pick<RetryOptions, "attempts" | "baseDelayMs" | "maxDelayMs">>;
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
  log?: (message: string) => void;
}

/** Counts API calls by action, for tests and the benchmark. */
export class CallCounter {
  readonly byAction = new Map<string, number>();
  add(action: string): void {
    this.byAction.set(action, (this.byAction.get(action) ?? 0) + 1);
  }
  total(): number {
    let n = 0;
    for (const v of this.byAction.values()) n += v;
    return n;
  }
}

type SdkModule = typeof import("@alicloud/ecs20140526");
type SdkClient = InstanceType<SdkModule["default"]>;

/** The fields DescribeInstances and DescribeInstanceAttribute share, as this project reads them. */
interface InstanceBody {
  instanceId?: string;
  regionId?: string;
  expiredTime?: string;
  instanceChargeType?: string;
  status?: string;
  operationLocks?: { lockReason?: Array<{ lockReason?: string }> };
  tags?: { tag?: Array<{ tagKey?: string; tagValue?: string }> };
  dedicatedHostAttribute?: { dedicatedHostId?: string };
}

function instanceInfo(i: InstanceBody & { instanceId: string }, regionId: string): InstanceInfo {
  const chargeType = i.instanceChargeType ?? "PrePaid";
  const host = i.dedicatedHostAttribute?.dedicatedHostId || undefined;
  return {
    id: i.instanceId,
    instanceId: i.instanceId,
    regionId: i.regionId ?? regionId,
    expiredTime: i.expiredTime || undefined,
    chargeType,
    instanceChargeType: chargeType,
    status: i.status ?? "Unknown",
    lockReasons: (i.operationLocks?.lockReason ?? []).map((l) => l.lockReason ?? "").filter(Boolean),
    tags: Object.fromEntries((i.tags?.tag ?? []).map((t) => [t.tagKey ?? "", t.tagValue ?? ""])),
    ...(host ? { dedicatedHostId: host } : {}),
  };
}

const DEFAULT_RETRY = { attempts: 8, baseDelayMs: 200, maxDelayMs: 10_000 };

/** What every product's client shares: its settings, the secrets to redact, the call counter, and how a call runs. */
export abstract class ApiClient {
  readonly calls = new CallCounter();
  protected readonly secrets: string[];

  constructor(
    protected readonly settings: ProviderSettings,
    protected readonly options: EcsApiOptions = {},
  ) {
    this.secrets = secretsOf(settings);
  }

  /** One call: bounded by `gate`, counted, retried where `retryable` allows, its error mapped by `describe`. */
  protected run<T>(
    gate: Semaphore,
    ctx: EcsCallContext,
    invoke: (runtime: unknown) => Promise<T>,
    retryable: RetryOptions["retryable"],
    describe: (error: unknown, ctx: EcsCallContext) => RenewalError,
  ): Promise<T> {
    const attempt = () =>
      gate.run(() => {
        this.calls.add(ctx.action);
        return invoke(runtimeOptions(this.options));
      });
    return callWithRetries(attempt, ctx, { options: this.options, secrets: this.secrets, retryable, describe });
  }
}

export class EcsApi extends ApiClient {
  private readonly clients = new Map<string, { client: SdkClient; gate: Semaphore }>();

  /** The official SDK's module (request classes), loaded on first use. */
  sdk(): SdkModule {
    return require("@alicloud/ecs20140526") as SdkModule;
  }

  private clientFor(regionId: string): { client: SdkClient; gate: Semaphore } {
    const key = `${regionId}|${this.settings.endpoint ?? ""}`;
    let entry = this.clients.get(key);
    if (!entry) {
      const Client = this.sdk().default;
      entry = { client: new Client(openApiConfig(this.settings, regionId, this.settings.endpoint)), gate: new Semaphore(this.options.concurrency || 10) };
      this.clients.set(key, entry);
    }
    return entry;
  }

  /**
   * Runs one SDK call with concurrency bound, retries where `retryable` allows, and error mapping. The
   * subscription families (provider/families/) make their ECS calls through it.
   */
  call<T>(
    ctx: EcsCallContext & { regionId: string },
    invoke: (client: SdkClient, runtime: unknown) => Promise<T>,
    retryable: RetryOptions["retryable"] = retryableForIdempotentCall,
  ): Promise<T> {
    const { client, gate } = this.clientFor(ctx.regionId);
    return this.run(gate, ctx, (runtime) => invoke(client, runtime), retryable, describeEcsError);
  }

  async describeRenewAttributes(regionId: string, instanceIds: string[]): Promise<Map<string, RenewAttribute>> {
    const out = new Map<string, RenewAttribute>();
    if (instanceIds.length === 0) return out;
    const { DescribeInstanceAutoRenewAttributeRequest } = this.sdk();
    const ctx = { action: "DescribeInstanceAutoRenewAttribute", regionId, instanceIds };
    for (let page = 1; ; page++) {
      const res = await this.call(ctx, (c, rt) =>
        c.describeInstanceAutoRenewAttributeWithOptions(
          new DescribeInstanceAutoRenewAttributeRequest({ regionId, instanceId: instanceIds.join(","), pageSize: "100", pageNumber: String(page) }),
          rt as never,
        ),
      );
      const body = res.body;
      for (const a of body?.instanceRenewAttributes?.instanceRenewAttribute ?? []) {
        if (!a.instanceId) continue;
        out.set(a.instanceId, {
          id: a.instanceId,
          instanceId: a.instanceId,
          autoRenewEnabled: !!a.autoRenewEnabled,
          renewalStatus: (a.renewalStatus as RenewalStatus) ?? (a.autoRenewEnabled ? "AutoRenewal" : "Normal"),
          duration: a.duration ?? 0,
          // Documented both as "Week" and "week": compared without case, kept in one spelling.
          periodUnit: canonicalUnit(a.periodUnit) ?? "Month",
        });
      }
      const total = body?.totalCount ?? 0;
      if (page * 100 >= total) break;
    }
    return out;
  }

  async modifyAutoRenew(regionId: string, instanceIds: string[], settings: AutoRenewSettings): Promise<void> {
    const { ModifyInstanceAutoRenewAttributeRequest } = this.sdk();
    const auto = settings.renewalStatus === "AutoRenewal";
    await this.call({ action: "ModifyInstanceAutoRenewAttribute", regionId, instanceIds }, (c, rt) =>
      c.modifyInstanceAutoRenewAttributeWithOptions(
        new ModifyInstanceAutoRenewAttributeRequest({
          regionId,
          instanceId: instanceIds.join(","),
          renewalStatus: settings.renewalStatus,
          autoRenew: auto,
          ...(auto ? { duration: settings.duration, periodUnit: settings.periodUnit } : {}),
        }),
        rt as never,
      ),
    );
  }

  /** The regions the account can use (DescribeRegions needs no RAM permission). */
  async describeRegions(): Promise<RegionInfo[]> {
    const { DescribeRegionsRequest } = this.sdk();
    // Any region's endpoint answers for all; the configured default keeps a private endpoint in use.
    const regionId = this.settings.region ?? "cn-hangzhou";
    const res = await this.call({ action: "DescribeRegions", regionId, instanceIds: [] }, (c, rt) =>
      c.describeRegionsWithOptions(new DescribeRegionsRequest({ acceptLanguage: "en-US" }), rt as never),
    );
    return (res.body?.regions?.region ?? []).filter((r) => r.regionId).map((r) => ({ regionId: r.regionId!, localName: r.localName ?? r.regionId! }));
  }

  /** Every instance matching the query, following NextToken pages. */
  async describeInstances(regionId: string, query: InstanceQuery): Promise<InstanceInfo[]> {
    const { DescribeInstancesRequest, DescribeInstancesRequestFilter, DescribeInstancesRequestTag } = this.sdk();
    const filter: InstanceType<SdkModule["DescribeInstancesRequestFilter"]>[] = [];
    if (query.expiredStartTime) filter.push(new DescribeInstancesRequestFilter({ key: "ExpiredStartTime", value: query.expiredStartTime }));
    if (query.expiredEndTime) filter.push(new DescribeInstancesRequestFilter({ key: "ExpiredEndTime", value: query.expiredEndTime }));
    const tag = Object.entries(query.tags ?? {}).map(([key, value]) => new DescribeInstancesRequestTag({ key, value }));
    const ctx = { action: "DescribeInstances", regionId, instanceIds: query.instanceIds ?? [] };
    const out: InstanceInfo[] = [];
    let nextToken: string | undefined;
    do {
      const res = await this.call(ctx, (c, rt) =>
        c.describeInstancesWithOptions(
          new DescribeInstancesRequest({
            regionId,
            maxResults: 100,
            ...(nextToken ? { nextToken } : {}),
            ...(query.instanceIds ? { instanceIds: JSON.stringify(query.instanceIds) } : {}),
            ...(query.instanceChargeType ? { instanceChargeType: query.instanceChargeType } : {}),
            ...(filter.length ? { filter } : {}),
            ...(tag.length ? { tag } : {}),
          }),
          rt as never,
        ),
      );
      for (const i of res.body?.instances?.instance ?? []) if (i.instanceId) out.push(instanceInfo({ ...i, instanceId: i.instanceId }, regionId));
      nextToken = res.body?.nextToken || undefined;
    } while (nextToken);
    return out;
  }

  /**
   * One instance by id. Unlike DescribeInstances, which answers an identity without ecs:DescribeInstances
   * with an empty list, it fails loudly (Forbidden.RAM); undefined means ECS says it does not exist (404),
   * or it is in another region.
   */
  async describeInstanceAttribute(regionId: string, instanceId: string): Promise<InstanceInfo | undefined> {
    const { DescribeInstanceAttributeRequest } = this.sdk();
    try {
      const res = await this.call({ action: "DescribeInstanceAttribute", regionId, instanceIds: [instanceId] }, (c, rt) =>
        c.describeInstanceAttributeWithOptions(new DescribeInstanceAttributeRequest({ instanceId }), rt as never),
      );
      const info = res.body?.instanceId ? instanceInfo({ ...res.body, instanceId: res.body.instanceId }, regionId) : undefined;
      return info && info.regionId === regionId ? info : undefined;
    } catch (error) {
      if (error instanceof RenewalError && error.code === "InvalidInstanceId.NotFound") return undefined;
      throw error;
    }
  }

  /**
   * Places a renewal order. Charges money, so it is retried only with the same ClientToken and only when
   * the outcome is unknown or the server says it failed (throttling, 5xx, no answer, not sent).
   */
  async renewInstance(regionId: string, order: RenewOrder, retryable: RetryOptions["retryable"] = retryableForIdempotentCall): Promise<{ orderId: string; requestId?: string }> {
    const { RenewInstanceRequest } = this.sdk();
    const res = await this.call(
      { action: "RenewInstance", regionId, instanceIds: [order.instanceId] },
      (c, rt) =>
        c.renewInstanceWithOptions(
          new RenewInstanceRequest({
            instanceId: order.instanceId,
            clientToken: order.clientToken,
            ...(order.expectedRenewDay !== undefined ? { expectedRenewDay: order.expectedRenewDay } : { period: order.period, periodUnit: order.periodUnit }),
          }),
          rt as never,
        ),
      retryable,
    );
    return { orderId: res.body?.orderId ?? "", requestId: res.body?.requestId };
  }

  /** The price of a renewal; `q` comes from priceQuery (value-sets.ts), which knows what ECS can price. */
  async describeRenewalPrice(regionId: string, q: PriceQuery & { instanceId: string }): Promise<RenewalPrice> {
    const { DescribeRenewalPriceRequest } = this.sdk();
    const res = await this.call({ action: "DescribeRenewalPrice", regionId, instanceIds: [q.instanceId] }, (c, rt) =>
      c.describeRenewalPriceWithOptions(
        new DescribeRenewalPriceRequest({
          regionId,
          resourceId: q.instanceId,
          resourceType: "instance",
          ...(q.expectedRenewDay !== undefined ? { expectedRenewDay: q.expectedRenewDay } : { period: q.period, priceUnit: q.priceUnit }),
        }),
        rt as never,
      ),
    );
    const p = res.body?.priceInfo?.price;
    return {
      tradePrice: p?.tradePrice ?? 0,
      originalPrice: p?.originalPrice ?? 0,
      discountPrice: p?.discountPrice ?? 0,
      currency: p?.currency ?? "CNY",
    };
  }
}

/** Retries as `retryable` allows, then maps the error to a sentence (`describe`) with every secret redacted. */
async function callWithRetries<T>(
  attempt: () => Promise<T>,
  ctx: EcsCallContext,
  how: { options: EcsApiOptions; secrets: string[]; retryable: RetryOptions["retryable"]; describe: (error: unknown, ctx: EcsCallContext) => RenewalError },
): Promise<T> {
  const retry = { ...DEFAULT_RETRY, ...definedOnly(how.options.retry ?? {}) };
  try {
    return await withRetry(attempt, {
      ...retry,
      retryable: how.retryable,
      onRetry: (error, n, delayMs) => {
        const mapped = how.describe(error, ctx);
        how.options.log?.(redact(`retrying ${ctx.action} (attempt ${n + 1} in ${delayMs} ms): ${mapped.code ?? "no answer"}`, how.secrets));
      },
    });
  } catch (error) {
    const mapped = how.describe(error, ctx);
    mapped.message = redact(mapped.message, how.secrets);
    throw mapped;
  }
}

/** SDK config for one client: region, credentials, and the endpoint override (`host[:port]` or a URL). */
export function openApiConfig(settings: ProviderSettings, regionId: string, endpoint: string | undefined): InstanceType<typeof import("@alicloud/openapi-core").$OpenApiUtil.Config> {
  const { $OpenApiUtil } = require("@alicloud/openapi-core") as typeof import("@alicloud/openapi-core");
  const config = new $OpenApiUtil.Config({ regionId, ...credentialConfig(settings.credentials) });
  if (endpoint) {
    const url = new URL(endpoint.includes("://") ? endpoint : `https://${endpoint}`);
    config.endpoint = url.host;
    config.protocol = url.protocol.replace(":", "");
  }
  return config;
}

/** Per-call timeouts; the SDK's own retries stay off (callWithRetries decides). */
function runtimeOptions(options: EcsApiOptions): unknown {
  const { RuntimeOptions } = require("@darabonba/typescript") as { RuntimeOptions: new (m: Record<string, unknown>) => unknown };
  return new RuntimeOptions({
    readTimeout: options.readTimeoutMs ?? 20_000,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    autoretry: false,
  });
}

/** SDK config fields for a credential source. The chain and profiles are read by @alicloud/credentials. */
function credentialConfig(source: CredentialSource): Record<string, unknown> {
  if (source.kind === "static") {
    return { accessKeyId: source.accessKeyId, accessKeySecret: source.accessKeySecret, ...(source.securityToken ? { securityToken: source.securityToken } : {}) };
  }
  const credentials = require("@alicloud/credentials") as typeof import("@alicloud/credentials");
  const Credential = credentials.default;
  if (source.kind === "profile") {
    const provider = credentials.CLIProfileCredentialsProvider.builder().withProfileName(source.profile).build();
    return { credential: new Credential(null, provider) };
  }
  return { credential: new Credential() };
}
