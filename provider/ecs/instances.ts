// Batched, per-instance view of ECS for the controllers: the instance family's batched view, plus what
// only instances need. DescribeInstances answers a RAM identity without ecs:DescribeInstances with an
// empty list, so "not listed" is confirmed with DescribeInstanceAttribute before anything concludes an
// instance is gone.

import { BatchedSubscriptions } from "../families/batched";
import type { Clients, DesiredSettings } from "../families/family";
import { INSTANCE } from "../families/instance";
import type { BatcherOptions } from "./batcher";
import type { AutoRenewSettings, EcsApi, InstanceInfo, RenewAttribute } from "./client";
import { RenewalError } from "./errors";

export interface BatchedInstancesOptions extends Partial<BatcherOptions> {
  /** Told once per region when DescribeInstances leaves out instances that exist. */
  warn?: (message: string) => void;
}

export class BatchedInstances extends BatchedSubscriptions {
  private readonly warn: (message: string) => void;
  /** Regions where DescribeInstances was found to leave out instances that exist (warned once). */
  private readonly unlistedRegions = new Set<string>();
  /** Regions where DescribeInstanceAttribute is not allowed either: every confirmation there fails alike. */
  private readonly attributeDenied = new Map<string, RenewalError>();

  constructor(
    readonly api: EcsApi,
    { warn, ...batching }: BatchedInstancesOptions = {},
    clients: Clients = { api },
  ) {
    super(INSTANCE, clients, batching);
    this.warn = warn ?? (() => undefined);
  }

  /** The auto-renew attribute, or undefined when ECS does not report one (unknown, released, Pay-As-You-Go). */
  async renewAttribute(regionId: string, instanceId: string): Promise<RenewAttribute | undefined> {
    return (await this.attribute(regionId, instanceId)) as RenewAttribute | undefined;
  }

  override info(regionId: string, id: string): Promise<InstanceInfo | undefined> {
    return this.instance(regionId, id);
  }

  /**
   * Expiry, charge type and status, or undefined when ECS says the instance does not exist in the region.
   * "Not in DescribeInstances" alone does not say that: a RAM identity without ecs:DescribeInstances gets an
   * empty list. So an instance missing from the list is looked up with DescribeInstanceAttribute, which
   * answers 404 for a released instance and Forbidden.RAM for an identity that may not ask.
   */
  async instance(regionId: string, instanceId: string): Promise<InstanceInfo | undefined> {
    const listed = (await super.info(regionId, instanceId)) as InstanceInfo | undefined;
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

  override setAutoRenew(regionId: string, instanceId: string, settings: AutoRenewSettings | DesiredSettings): Promise<void> {
    return super.setAutoRenew(regionId, instanceId, settings);
  }
}

/** Neither call can tell whether the instance exists: say which permissions are missing, conclude nothing. */
function unlistedAndDenied(regionId: string, instanceId: string, cause: RenewalError): RenewalError {
  return new RenewalError(
    `ECS DescribeInstances did not list instance ${instanceId} in ${regionId}, and the credentials in use may not call ecs:DescribeInstanceAttribute to tell whether it still exists. A RAM identity without ecs:DescribeInstances gets an empty list, so nothing is concluded from it and nothing is removed from the stack: grant ecs:DescribeInstances and ecs:DescribeInstanceAttribute (README: least-privilege RAM policy), then run the command again. (ECS DescribeInstanceAttribute error ${cause.code}${cause.requestId ? `, request id ${cause.requestId}` : ""})`,
    { code: cause.code, requestId: cause.requestId, action: "DescribeInstanceAttribute", instanceIds: [instanceId] },
  );
}
