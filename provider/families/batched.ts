// Batched, per-subscription view of a family for the controllers: each method takes one subscription and
// shares API calls with every other concurrent caller in the same region, up to the family's batch limits.

import { Batcher, type BatcherOptions } from "../ecs/batcher";
import { RenewalError } from "../ecs/errors";
import type { Clients, DesiredSettings, FamilyApi, SettingsAttribute, SubscriptionFamily, SubscriptionInfo } from "./family";

export const DEFAULT_BATCHING: BatcherOptions = { maxBatch: 100, windowMs: 100, streamWindowMs: 300, maxWaitMs: 2_000 };

/** A batch error that only says one id has no auto-renew attribute (instances: a Pay-As-You-Go id). */
const NO_ATTRIBUTE = new Set(["ChargeTypeViolation"]);

export class BatchedSubscriptions {
  private readonly attributes: Batcher<SettingsAttribute | undefined>;
  private readonly infos: Batcher<SubscriptionInfo | undefined>;
  private readonly modifications: Batcher<true>;

  constructor(
    readonly family: SubscriptionFamily,
    private readonly clients: Clients,
    batching: Partial<BatcherOptions> = {},
    api: FamilyApi = family.api,
  ) {
    const options = (limit: number): BatcherOptions => {
      const o = { ...DEFAULT_BATCHING, ...batching };
      return { ...o, maxBatch: Math.min(o.maxBatch, limit) };
    };
    const { batch } = family.settings;
    this.attributes = new Batcher(
      options(batch.read),
      async (region, ids) => new Map((await api.readSettings(this.clients, region, ids)).map((a) => [a.id, a])),
      () => undefined,
      // Once the batcher has isolated it, such an id simply has no auto-renew attribute.
      (_id, error) => (error instanceof RenewalError && NO_ATTRIBUTE.has(error.code ?? "") ? { value: undefined } : undefined),
    );
    this.infos = new Batcher(options(batch.describe), async (region, ids) => new Map((await api.describe(this.clients, region, ids)).map((i) => [i.id, i])), () => undefined);
    this.modifications = new Batcher(
      options(batch.write),
      async (group, ids) => {
        const { region, settings } = JSON.parse(group) as { region: string; settings: DesiredSettings };
        await api.writeSettings(this.clients, region, ids, settings);
        return new Map(ids.map((id) => [id, true as const]));
      },
      () => true,
    );
  }

  /** The auto-renew attribute, or undefined when the family's read reports none (unknown, released, Pay-As-You-Go). */
  attribute(regionId: string, id: string): Promise<SettingsAttribute | undefined> {
    return this.attributes.submit(regionId, id);
  }

  /** Expiry, charge type and status, or undefined when the family's describe call does not list it. */
  info(regionId: string, id: string): Promise<SubscriptionInfo | undefined> {
    return this.infos.submit(regionId, id);
  }

  /** Writes settings; subscriptions that want the same settings share a call. */
  async setAutoRenew(regionId: string, id: string, settings: DesiredSettings): Promise<void> {
    await this.modifications.submit(JSON.stringify({ region: regionId, settings: canonical(settings) }), id);
  }
}

/** One spelling per meaning, so that equal settings group into one write. */
function canonical(s: DesiredSettings): DesiredSettings {
  const extras = s.autoRenewWithEcs !== undefined ? { autoRenewWithEcs: s.autoRenewWithEcs } : {};
  return s.renewalStatus === "AutoRenewal" ? { renewalStatus: "AutoRenewal", duration: s.duration, periodUnit: s.periodUnit, ...extras } : { renewalStatus: s.renewalStatus, ...extras };
}
