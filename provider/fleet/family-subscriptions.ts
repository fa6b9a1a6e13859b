// Row source: the subscriptions of one family other than instances in one region (dedicated hosts,
// reserved instances, elasticity assurances, EMR cluster fees), joined with their auto-renew settings
// (the family's read, batched to its limit). None of their list calls documents an expiry filter, so the
// window is applied here to what the list returns.

import { parseEcsTime } from "../ecs/expiry";
import { BatchedSubscriptions } from "../families/batched";
import type { Clients, SubscriptionFamily } from "../families/family";
import type { ExpiryWindow } from "./ecs-instances";
import type { SubscriptionFacts } from "./subscription";

export async function familyFacts(clients: Clients, family: SubscriptionFamily, q: { regionId: string; window: ExpiryWindow }): Promise<SubscriptionFacts[]> {
  if (!family.api.list) throw new Error(`pulumi-alicloud-renewal: the ${family.noun} family has no list call; this is a bug, please report it.`);
  const listed = (await family.api.list(clients, q.regionId)).filter((s) => {
    const expiry = parseEcsTime(s.expiredTime);
    return s.chargeType === "PrePaid" && expiry && expiry >= q.window.start && (!q.window.end || expiry < q.window.end);
  });
  const batched = new BatchedSubscriptions(family, clients);
  const attributes = await Promise.all(listed.map((s) => batched.attribute(q.regionId, s.id)));
  return listed.map((s, n) => {
    const attr = attributes[n];
    return {
      product: family.product.toLowerCase(),
      kind: family.kind,
      id: s.id,
      region: s.regionId,
      expiry: parseEcsTime(s.expiredTime)!,
      renewalStatus: attr?.renewalStatus ?? "Normal",
      ...(attr?.renewalStatus === "AutoRenewal" ? { autoRenewDuration: attr.duration, autoRenewPeriodUnit: attr.periodUnit } : {}),
      status: s.status,
      chargeType: s.chargeType,
      tags: s.tags,
      source: family.product === "EMR" ? ("emr" as const) : ("ecs" as const),
    };
  });
}
