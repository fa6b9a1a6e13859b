// Row source: ECS subscription instances of one region (DescribeInstances with the expiry window), joined
// with their auto-renew attributes (DescribeInstanceAutoRenewAttribute, 100 ids a call).

import type { EcsApi, RenewAttribute } from "../ecs/client";
import { formatEcsTime, parseEcsTime } from "../ecs/expiry";
import { BatchedInstances } from "../ecs/instances";
import type { SubscriptionFacts } from "./subscription";

export interface ExpiryWindow {
  start: Date;
  /** Undefined: no upper bound. */
  end?: Date;
}

export async function ecsInstanceFacts(api: EcsApi, q: { regionId: string; window: ExpiryWindow; tags?: Record<string, string> }): Promise<SubscriptionFacts[]> {
  const instances = await api.describeInstances(q.regionId, {
    instanceChargeType: "PrePaid",
    tags: q.tags,
    expiredStartTime: formatEcsTime(q.window.start),
    ...(q.window.end ? { expiredEndTime: formatEcsTime(q.window.end) } : {}),
  });
  const batched = new BatchedInstances(api);
  const attributes = await Promise.all(instances.map((i) => batched.renewAttribute(q.regionId, i.instanceId)));
  const out: SubscriptionFacts[] = [];
  instances.forEach((info, n) => {
    const expiry = parseEcsTime(info.expiredTime);
    if (!expiry) return;
    const attr: RenewAttribute | undefined = attributes[n];
    out.push({
      product: "ecs",
      kind: "instance",
      id: info.instanceId,
      region: info.regionId,
      expiry,
      renewalStatus: attr?.renewalStatus ?? "Normal",
      ...(attr?.renewalStatus === "AutoRenewal" ? { autoRenewDuration: attr.duration, autoRenewPeriodUnit: attr.periodUnit } : {}),
      status: info.status,
      chargeType: info.instanceChargeType,
      tags: info.tags,
      source: "ecs",
    });
  });
  return out;
}
