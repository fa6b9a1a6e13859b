// The report every format renders: the rows, when they were read, and the counts by risk, computed once.

import type { Risk, Subscription } from "../fleet/subscription";

export interface Report {
  title: string;
  /** ISO time the rows were judged at ("today" in the timeline). */
  generatedAt: string;
  subscriptions: Subscription[];
  /** How many lapse unless someone acts. */
  atRisk: number;
  byRisk: Record<Risk, number>;
}

export function buildReport(subscriptions: Subscription[], title: string, now: Date): Report {
  const byRisk: Record<Risk, number> = { lapses: 0, "auto-renew": 0, "not-renewal": 0 };
  for (const s of subscriptions) byRisk[s.risk]++;
  return { title, generatedAt: now.toISOString(), subscriptions, atRisk: byRisk.lapses, byRisk };
}

export function summaryLine(r: Report): string {
  const n = r.subscriptions.length;
  return `${n} subscription instance${n === 1 ? "" : "s"}, ${r.atRisk} at risk of lapsing.`;
}

/** "ecs instance", "rds": the product, and the kind where it says more. */
export function productLabel(s: Subscription): string {
  return s.kind && s.kind !== s.product ? `${s.product} ${s.kind}` : s.product;
}

export function renewalLabel(s: Subscription): string {
  return s.renewalStatus === "AutoRenewal" && s.autoRenewDuration ? `AutoRenewal ${s.autoRenewDuration} ${s.autoRenewPeriodUnit}` : s.renewalStatus;
}

/** `yyyy-MM-dd HH:mm` (UTC) of an ISO time. */
export const minuteUtc = (iso: string) => iso.slice(0, 16).replace("T", " ");
