// How the families' answers are read into one spelling: charge types, units and statuses differ in case
// and name between APIs (DescribeDedicatedHosts writes "Prepaid", auto-renew answers "week" or "Weekly").

import type { PeriodUnit, RenewalStatus } from "./family";

/** "PrePaid" or "PostPaid", whatever the case the API wrote it in. */
export function chargeTypeOf(value: string | undefined): string {
  const v = (value ?? "").toLowerCase();
  if (v === "prepaid" || v === "subscription") return "PrePaid";
  if (v === "postpaid" || v === "payasyougo") return "PostPaid";
  return value || "PrePaid";
}

/** A unit as an API wrote it ("week", "Weekly", "MONTH") in this project's spelling; Month when absent. */
export function readUnit(value: string | undefined): PeriodUnit {
  const v = (value ?? "").toLowerCase();
  if (v.startsWith("week")) return "Week";
  if (v.startsWith("year")) return "Year";
  return "Month";
}

export function renewalStatusOf(value: string | undefined, autoRenewEnabled?: boolean): RenewalStatus {
  if (value === "AutoRenewal" || value === "Normal" || value === "NotRenewal") return value;
  return autoRenewEnabled ? "AutoRenewal" : "Normal";
}

export function lockReasonsOf(locks: Array<{ lockReason?: string }> | undefined): string[] {
  return (locks ?? []).map((l) => l.lockReason ?? "").filter(Boolean);
}
