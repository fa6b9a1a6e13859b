// Batched, per-instance view of ECS for the controllers: each method takes one instance and shares API
// calls with every other concurrent caller in the same region.

import { Batcher, type BatcherOptions } from "./batcher";
import type { AutoRenewSettings, EcsApi, InstanceInfo, RenewAttribute } from "./client";
import { RenewalError } from "./errors";

const DEFAULT_BATCHING: BatcherOptions = { maxBatch: 100, windowMs: 100, streamWindowMs: 300, maxWaitMs: 2_000 };

export interface BatchedInstancesOptions extends Partial<BatcherOptions> {
  /** Told once per region when DescribeInstances leaves out instances that exist. */
  warn?: (message: string) => void;
}

export class BatchedInstances {
  private readonly attributes: Batcher<RenewAttribute | undefined>;
  private readonly instances: Batcher<InstanceInfo | undefined>;
  private readonly modifications: Batcher<true>;
  private readonly warn: (message: string) => void;
  /** Regions where DescribeInstances was found to leave out instances that exist (warned once). */
  private readonly unlistedRegions = new Set<string>();
  /** Regions where DescribeInstanceAttribute is not allowed either: every confirmation there fails alike. */
  private readonly attributeDenied = new Map<string, RenewalError>();

  constructor(
    readonly api: EcsApi,
    { warn, ...batching }: BatchedInstancesOptions = {},
  ) {
    const options = { ...DEFAULT_BATCHING, ...batching };
    this.warn = warn ?? (() => undefined);
    // A Pay-As-You-Go id fails the whole DescribeInstanceAutoRenewAttribute call; once the batcher has
    // isolated it, it simply has no auto-renew attribute.
    this.attributes = new Batcher(
      options,
      (region, ids) => api.describeRenewAttributes(region, ids),
      () => undefined,
      (_id, error) => (error instanceof RenewalError && error.code === "ChargeTypeViolation" ? { value: undefined } : undefined),
    );
    this.instances = new Batcher(
      options,
      async (region, ids) => new Map((await api.describeInstances(region, { instanceIds: ids })).map((i) => [i.instanceId, i])),
      () => undefined,
    );
    this.modifications = new Batcher(
      options,
      async (group, ids) => {
        const { region, settings } = JSON.parse(group) as { region: string; settings: AutoRenewSettings };
        await api.modifyAutoRenew(region, ids, settings);
        return new Map(ids.map((id) => [id, true as const]));
      },
      () => true,
    );
  }

  /** The auto-renew attribute, or undefined when ECS does not report one (unknown, released, Pay-As-You-Go). */
  renewAttribute(regionId: string, instanceId: string): Promise<RenewAttribute | undefined> {
    return this.attributes.submit(regionId, instanceId);
  }

  /**
   * Expiry, charge type and status, or undefined when ECS says the instance does not exist in the region.
   * "Not in DescribeInstances" alone does not say that: a RAM identity without ecs:DescribeInstances gets an
   * empty list. So an instance missing from the list is looked up with DescribeInstanceAttribute, which
   * answers 404 for a released instance and Forbidden.RAM for an identity that may not ask.
   */
  async instance(regionId: string, instanceId: string): Promise<InstanceInfo | undefined> {
    const listed = await this.instances.submit(regionId, instanceId);
    if (listed) return listed;
    const denied = this.attributeDenied.get(regionId);
    if (denied) throw unlistedAndDenied(regionId, instanceId, denied);
    let info: InstanceInfo | undefined;
    try {
      info = await this.api.describeInstanceAttribute(regionId, instanceId);
    } catch (error) {
      if (!(error instanceof RenewalError) || !/^(Forbidden|NoPermission)/.test(error.code ?? "")) throw error;
      this.attributeDenied.set(regionId, error);
      throw unlistedAndDenied(regionId, instanceId, error);
    }
    if (info && !this.unlistedRegions.has(regionId)) {
      this.unlistedRegions.add(regionId);
      this.warn(
        `ECS DescribeInstances did not list instance ${instanceId} in ${regionId}, though DescribeInstanceAttribute shows it exists: the credentials in use most likely lack ecs:DescribeInstances (without it ECS answers an empty list). Each such instance costs one extra call; grant ecs:DescribeInstances (README: least-privilege RAM policy).`,
      );
    }
    return info;
  }

  async setAutoRenew(regionId: string, instanceId: string, settings: AutoRenewSettings): Promise<void> {
    const canonical: AutoRenewSettings =
      settings.renewalStatus === "AutoRenewal"
        ? { renewalStatus: "AutoRenewal", duration: settings.duration, periodUnit: settings.periodUnit }
        : { renewalStatus: settings.renewalStatus };
    await this.modifications.submit(JSON.stringify({ region: regionId, settings: canonical }), instanceId);
  }
}

/** Neither call can tell whether the instance exists: say which permissions are missing, conclude nothing. */
function unlistedAndDenied(regionId: string, instanceId: string, cause: RenewalError): RenewalError {
  return new RenewalError(
    `ECS DescribeInstances did not list instance ${instanceId} in ${regionId}, and the credentials in use may not call ecs:DescribeInstanceAttribute to tell whether it still exists. A RAM identity without ecs:DescribeInstances gets an empty list, so nothing is concluded from it and nothing is removed from the stack: grant ecs:DescribeInstances and ecs:DescribeInstanceAttribute (README: least-privilege RAM policy), then run the command again. (ECS DescribeInstanceAttribute error ${cause.code}${cause.requestId ? `, request id ${cause.requestId}` : ""})`,
    { code: cause.code, requestId: cause.requestId, action: "DescribeInstanceAttribute", instanceIds: [instanceId] },
  );
}
