// Batched, per-instance view of ECS for the controllers: each method takes one instance and shares API
// calls with every other concurrent caller in the same region.

import { Batcher, type BatcherOptions } from "./batcher";
import type { AutoRenewSettings, EcsApi, InstanceInfo, RenewAttribute } from "./client";

const DEFAULT_BATCHING: BatcherOptions = { maxBatch: 100, windowMs: 100, streamWindowMs: 300, maxWaitMs: 2_000 };

export class BatchedInstances {
  private readonly attributes: Batcher<RenewAttribute | undefined>;
  private readonly instances: Batcher<InstanceInfo | undefined>;
  private readonly modifications: Batcher<true>;

  constructor(
    readonly api: EcsApi,
    batching: Partial<BatcherOptions> = {},
  ) {
    const options = { ...DEFAULT_BATCHING, ...batching };
    this.attributes = new Batcher(options, (region, ids) => api.describeRenewAttributes(region, ids), () => undefined);
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

  /** The auto-renew attribute, or undefined when ECS does not report the instance. */
  renewAttribute(regionId: string, instanceId: string): Promise<RenewAttribute | undefined> {
    return this.attributes.submit(regionId, instanceId);
  }

  /** Expiry, charge type and status, or undefined when the instance does not exist in the region. */
  instance(regionId: string, instanceId: string): Promise<InstanceInfo | undefined> {
    return this.instances.submit(regionId, instanceId);
  }

  async setAutoRenew(regionId: string, instanceId: string, settings: AutoRenewSettings): Promise<void> {
    const canonical: AutoRenewSettings =
      settings.renewalStatus === "AutoRenewal"
        ? { renewalStatus: "AutoRenewal", duration: settings.duration, periodUnit: settings.periodUnit }
        : { renewalStatus: settings.renewalStatus };
    await this.modifications.submit(JSON.stringify({ region: regionId, settings: canonical }), instanceId);
  }
}
