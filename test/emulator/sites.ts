// What each Alibaba Cloud site lets the renewal APIs take. The SDK's model comments (@alicloud/ecs20140526
// 7.11) document the value sets per site (<props="china"> / <props="intl">); the currency is
// DescribeRenewalPriceResponseBody's Currency ("China site: CNY. International site: USD.").
export type Site = "china" | "international";
export const SITES: readonly Site[] = ["china", "international"];

export interface SiteRules {
  currency: "CNY" | "USD";
  /** ModifyInstanceAutoRenewAttribute: Duration per PeriodUnit. */
  autoRenewDurations: Record<string, number[]>;
  /** RenewInstance: Period per PeriodUnit. */
  renewPeriods: Record<string, number[]>;
}

const MONTHS_1_TO_9 = [1, 2, 3, 4, 5, 6, 7, 8, 9];

export const SITE_RULES: Record<Site, SiteRules> = {
  china: {
    currency: "CNY",
    autoRenewDurations: { Month: [1, 2, 3, 6, 12, 24, 36, 48, 60], Year: [1, 2, 3, 4, 5], Week: [1, 2, 3, 4] },
    renewPeriods: { Month: [...MONTHS_1_TO_9, 12, 24, 36, 48, 60], Week: [1, 2, 3, 4] },
  },
  international: {
    currency: "USD",
    // No Week on the international site, for either call.
    autoRenewDurations: { Month: [1, 2, 3, 6, 12, 24, 36, 48, 60], Year: [1, 2, 3, 4, 5] },
    renewPeriods: { Month: [...MONTHS_1_TO_9, 12] },
  },
};

/** DescribeRenewalPrice: Period per PriceUnit, the same on both sites (Month 1–9, Year 1–3; no Week). */
export const PRICE_PERIODS: Record<string, number[]> = { Month: MONTHS_1_TO_9, Year: [1, 2, 3] };
