// What a reviewer sees in `pulumi preview`: the instance's current expiry, the expiry after the renewal
// and its price, read in the program (check may not call the API) with the same stack config keys the
// provider uses. Read-only calls; no secret leaves this function.

import * as pulumi from "@pulumi/pulumi";
import { EcsApi } from "../ecs/client";
import { formatEcsTime, parseEcsTime } from "../ecs/expiry";
import { resolveSettings } from "../settings";
import { planRenewal } from "./decision";
import { describeIntent, intentOf, type RenewalOrderInputs } from "./schema";

export interface RenewalQuote {
  intent: string;
  currentExpiredTime?: string;
  expectedExpiredTime?: string;
  price?: number;
  currency?: string;
  /** Why nothing would be ordered, or why no quote could be made. */
  note?: string;
}

let api: EcsApi | undefined;

export async function quoteRenewal(i: Pick<RenewalOrderInputs, "instanceId" | "regionId" | "period" | "periodUnit" | "expectedRenewDay" | "ensureExpiresAfter" | "onlyIfExpiresWithinDays">): Promise<RenewalQuote> {
  const intent = intentOf(i);
  const quote: RenewalQuote = { intent: describeIntent(intent) };
  try {
    const settings = resolveSettings((key) => pulumi.runtime.getConfig(key));
    const regionId = i.regionId ?? settings.region;
    if (!regionId) return { ...quote, note: "no region configured" };
    api ??= new EcsApi(settings, { retry: { attempts: 3 } });
    const [info] = await api.describeInstances(regionId, { instanceIds: [i.instanceId] });
    const expiry = parseEcsTime(info?.expiredTime);
    if (!info || !expiry) return { ...quote, note: `instance ${i.instanceId} not found in ${regionId}` };
    quote.currentExpiredTime = formatEcsTime(expiry);
    const now = new Date();
    if (i.onlyIfExpiresWithinDays !== undefined && expiry.getTime() - now.getTime() > i.onlyIfExpiresWithinDays * 86_400_000) {
      return { ...quote, note: `would skip: expires later than ${i.onlyIfExpiresWithinDays} days from now` };
    }
    const plan = planRenewal(intent, expiry, now);
    if ("satisfied" in plan) return { ...quote, note: `would skip: ${plan.satisfied}` };
    if ("unreachable" in plan) return { ...quote, note: `would refuse: ${plan.unreachable}` };
    quote.expectedExpiredTime = formatEcsTime(plan.newExpiry);
    const price = await api.describeRenewalPrice(regionId, { instanceId: i.instanceId, period: plan.period, priceUnit: plan.periodUnit, expectedRenewDay: plan.expectedRenewDay });
    return { ...quote, price: price.tradePrice, currency: price.currency };
  } catch (error) {
    // A preview without credentials still shows the intent; the order itself checks everything again.
    return { ...quote, note: `no quote: ${(error as Error).message.split(". ")[0]}` };
  }
}
