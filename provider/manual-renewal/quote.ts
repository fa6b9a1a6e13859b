// What a reviewer sees in `pulumi preview`: the instance's current expiry, the expiry after the renewal
// and its price, read in the program (check may not call the API) with the same stack config keys the
// provider uses. Read-only calls; no secret leaves this function.

import * as pulumi from "@pulumi/pulumi";
import { EcsApi } from "../ecs/client";
import { formatEcsTime, parseEcsTime } from "../ecs/expiry";
import { BatchedInstances } from "../ecs/instances";
import { PRICEABLE, priceQuery } from "../ecs/value-sets";
import { resolveSettings } from "../settings";
import { planRenewal } from "./decision";
import { BatchedSubscriptions } from "../families/batched";
import { INSTANCE, type SubscriptionFamily } from "../families";
import { named } from "../families/family";
import { describeIntent, familyOf, intentOf, subscriptionIdOf, type RenewalOrderInputs } from "./schema";

export interface RenewalQuote {
  intent: string;
  currentExpiredTime?: string;
  expectedExpiredTime?: string;
  price?: number;
  currency?: string;
  /** Why nothing would be ordered, or why no quote could be made. */
  note?: string;
}

/** One client per distinct settings: a process may run several programs (automation, tests), each with its own stack config. */
const lookups = new Map<string, BatchedInstances>();

export async function quoteRenewal(
  i: Pick<RenewalOrderInputs, "instanceId" | "dedicatedHostId" | "reservedInstanceId" | "elasticityAssuranceId" | "regionId" | "period" | "periodUnit" | "expectedRenewDay" | "ensureExpiresAfter" | "onlyIfExpiresWithinDays">,
): Promise<RenewalQuote> {
  const intent = intentOf(i);
  const quote: RenewalQuote = { intent: describeIntent(intent) };
  const family = familyOf(i);
  const id = subscriptionIdOf(i);
  try {
    const settings = resolveSettings((key) => pulumi.runtime.getConfig(key));
    const regionId = i.regionId ?? settings.region;
    if (!regionId) return { ...quote, note: "no region configured" };
    const key = JSON.stringify(settings);
    const instances = lookups.get(key) ?? new BatchedInstances(new EcsApi(settings, { retry: { attempts: 3 } }));
    lookups.set(key, instances);
    // As the order looks it up: an instance DescribeInstances does not list is confirmed (or not) by
    // DescribeInstanceAttribute; the other families by their own describe call.
    const info = family === INSTANCE ? await instances.instance(regionId, id) : await viewOf(family, instances).info(regionId, id);
    const expiry = parseEcsTime(info?.expiredTime);
    if (!info || !expiry) return { ...quote, note: `${named(family, id)} not found in ${regionId}` };
    quote.currentExpiredTime = formatEcsTime(expiry);
    const now = new Date();
    // Rows 5 and 6 of the order's decision table (decision.ts), as far as a quote can tell.
    const plan = planRenewal(intent, expiry, now, settings.site, family);
    if ("satisfied" in plan) return { ...quote, note: `would skip: ${plan.satisfied}` };
    if ("unreachable" in plan) return { ...quote, note: `would refuse: ${plan.unreachable}` };
    if (i.onlyIfExpiresWithinDays !== undefined && expiry.getTime() - now.getTime() > i.onlyIfExpiresWithinDays * 86_400_000) {
      return { ...quote, note: `would skip: expires later than ${i.onlyIfExpiresWithinDays} days from now` };
    }
    quote.expectedExpiredTime = formatEcsTime(plan.newExpiry);
    if (!family.renewal?.priceable) return { ...quote, note: `no price: DescribeRenewalPrice prices ECS instances only, not a ${family.noun}` };
    const query = priceQuery(plan);
    if (!query) {
      // Said in the preview; the order refuses it only when maxPrice is set.
      return { ...quote, note: `no price: DescribeRenewalPrice prices ${PRICEABLE} only, not ${plan.period} ${plan.periodUnit}${plan.period === 1 ? "" : "s"}; with maxPrice set the order is refused` };
    }
    const price = await instances.api.describeRenewalPrice(regionId, { instanceId: id, ...query });
    return { ...quote, price: price.tradePrice, currency: price.currency };
  } catch (error) {
    // A preview without credentials still shows the intent; the order itself checks everything again.
    return { ...quote, note: `no quote: ${(error as Error).message.split(". ")[0]}` };
  }
}

/** The batched views of the other families beside each instances' view, sharing its ECS client. */
const views = new WeakMap<BatchedInstances, Map<string, BatchedSubscriptions>>();
function viewOf(family: SubscriptionFamily, instances: BatchedInstances): BatchedSubscriptions {
  let byKind = views.get(instances);
  if (!byKind) views.set(instances, (byKind = new Map()));
  let view = byKind.get(family.kind);
  if (!view) byKind.set(family.kind, (view = new BatchedSubscriptions(family, { api: instances.api })));
  return view;
}
