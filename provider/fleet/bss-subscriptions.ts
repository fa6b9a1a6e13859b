// Row source: the account's subscriptions of every product, from BSS QueryAvailableInstances (one query
// for all products, or one per product asked for), with BSS's end time, renewal status and release date.

import type { BssApi, BssInstance } from "../bss/client";
import type { ExpiryWindow } from "./ecs-instances";
import type { RenewalStatus, SubscriptionFacts } from "./subscription";

const RENEW_STATUS: Record<string, RenewalStatus> = { AutoRenewal: "AutoRenewal", ManualRenewal: "Normal", NotRenewal: "NotRenewal" };
const UNIT: Record<string, string> = { M: "Month", Y: "Year", W: "Week" };
const bssTime = (d: Date) => d.toISOString().slice(0, 19) + "Z";

function parse(value: string | undefined): Date | undefined {
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? undefined : new Date(t);
}

function facts(r: BssInstance): SubscriptionFacts | undefined {
  const expiry = parse(r.endTime);
  if (!expiry) return undefined;
  // An unknown status reads as manual renewal: nobody is known to renew it.
  const renewalStatus = RENEW_STATUS[r.renewStatus ?? ""] ?? "Normal";
  const release = parse(r.expectedReleaseTime);
  return {
    product: r.productCode,
    kind: r.productType || r.productCode,
    id: r.instanceId,
    region: r.region || "global",
    expiry,
    renewalStatus,
    ...(renewalStatus === "AutoRenewal" ? { autoRenewDuration: r.renewalDuration, autoRenewPeriodUnit: UNIT[r.renewalDurationUnit ?? "M"] ?? r.renewalDurationUnit } : {}),
    status: r.status ?? "Unknown",
    chargeType: "PrePaid",
    ...(release ? { release } : {}),
    tags: {},
    source: "bss",
  };
}

/** `products`: BSS product codes, or "all". */
export async function bssSubscriptionFacts(api: BssApi, q: { products: string[] | "all"; window: ExpiryWindow }): Promise<SubscriptionFacts[]> {
  const window = { endTimeStart: bssTime(q.window.start), ...(q.window.end ? { endTimeEnd: bssTime(q.window.end) } : {}) };
  const codes: Array<string | undefined> = q.products === "all" ? [undefined] : q.products;
  const lists = await Promise.all(codes.map((productCode) => api.queryAvailableInstances({ ...(productCode ? { productCode } : {}), subscriptionType: "Subscription", ...window })));
  return lists.flat().flatMap((r) => facts(r) ?? []);
}
