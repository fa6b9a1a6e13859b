// The value sets the ECS renewal APIs document, per Alibaba Cloud site (the official SDK's model comments,
// @alicloud/ecs20140526 7.11, <props="china"> / <props="intl">). check refuses what the stack's site
// would refuse, so a preview fails before anything is called.

export type Site = "china" | "international";
export const SITES = ["china", "international"] as const;

export type AutoRenewPeriodUnit = "Month" | "Year" | "Week";
export type RenewPeriodUnit = "Month" | "Week";

/** ModifyInstanceAutoRenewAttribute's Duration per PeriodUnit; no Week on the international site. */
export const AUTO_RENEW_DURATIONS: Record<Site, Partial<Record<AutoRenewPeriodUnit, readonly number[]>>> = {
  china: { Month: [1, 2, 3, 6, 12, 24, 36, 48, 60], Year: [1, 2, 3, 4, 5], Week: [1, 2, 3, 4] },
  international: { Month: [1, 2, 3, 6, 12, 24, 36, 48, 60], Year: [1, 2, 3, 4, 5] },
};

/** RenewInstance's Period per PeriodUnit: the international site renews by Month 1–9 and 12 only. */
export const RENEW_PERIODS: Record<Site, Partial<Record<RenewPeriodUnit, readonly number[]>>> = {
  china: { Month: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60], Week: [1, 2, 3, 4] },
  international: { Month: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12] },
};

/** Units in the order messages list them. */
export const AUTO_RENEW_PERIOD_UNITS = ["Month", "Year", "Week"] as const;
export const RENEW_PERIOD_UNITS = ["Month", "Week"] as const;

export interface PriceQuery {
  period?: number;
  priceUnit?: "Month" | "Year";
  expectedRenewDay?: number;
}

/**
 * The DescribeRenewalPrice query for an order's parameters. It prices Month 1–9 and Year 1–3 only (no Week),
 * so 12, 24 and 36 months are asked as 1, 2 and 3 years; undefined when it cannot price the order at all
 * (48 or 60 months, weeks).
 */
export function priceQuery(p: { period?: number; periodUnit?: string; expectedRenewDay?: number }): PriceQuery | undefined {
  if (p.expectedRenewDay !== undefined) return { expectedRenewDay: p.expectedRenewDay };
  if ((p.periodUnit ?? "Month") !== "Month" || p.period === undefined) return undefined;
  if (p.period >= 1 && p.period <= 9) return { period: p.period, priceUnit: "Month" };
  if (p.period % 12 === 0 && p.period / 12 <= 3) return { period: p.period / 12, priceUnit: "Year" };
  return undefined;
}

/** What DescribeRenewalPrice can price, for messages. */
export const PRICEABLE = "1–9 months and 1, 2 or 3 years (12, 24, 36 months)";

/** A unit as ECS wrote it ("week", "Week", "MONTH") in this project's spelling; answers differ in case. */
export function canonicalUnit(unit: string | undefined): AutoRenewPeriodUnit | undefined {
  const lower = unit?.toLowerCase();
  return AUTO_RENEW_PERIOD_UNITS.find((u) => u.toLowerCase() === lower);
}
