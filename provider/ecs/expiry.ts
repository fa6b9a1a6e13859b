// Time rules of ECS subscriptions. Pure functions: every caller passes "now" so tests and the
// emulator's settable clock agree.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Auto-renew deducts on the 9th day before expiry, from 08:00 Beijing time (UTC+8). */
export const AUTO_RENEW_LEAD_DAYS = 9;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;
/** An instance that expires within this window cannot be switched to auto-renewal. */
export const AUTO_RENEW_MIN_REMAINING_MS = DAY_MS;

/** Parses the API's `yyyy-MM-ddTHH:mmZ` (seconds optional). Returns undefined for empty or malformed input. */
export function parseEcsTime(value: string | undefined | null): Date | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?Z$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0));
}

/** Formats as the API does: UTC, minute precision. */
export function formatEcsTime(date: Date): string {
  return date.toISOString().slice(0, 16) + "Z";
}

export function msUntil(expiry: Date, now: Date): number {
  return expiry.getTime() - now.getTime();
}

export function daysLeft(expiry: Date, now: Date): number {
  return Math.floor(msUntil(expiry, now) / DAY_MS);
}

/** 08:00 UTC+8 on the calendar day (in UTC+8) that lies `days` before the given instant. */
function beijingMorning(instant: Date, daysBefore: number): Date {
  const local = new Date(instant.getTime() + BEIJING_OFFSET_MS);
  const dayStartUtc = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - daysBefore);
  return new Date(dayStartUtc + 8 * HOUR_MS - BEIJING_OFFSET_MS);
}

/** The first auto-renew deduction attempt for an instance expiring at `expiry`. */
export function firstAutoRenewDeduction(expiry: Date): Date {
  return beijingMorning(expiry, AUTO_RENEW_LEAD_DAYS);
}

/**
 * When auto-renew will next try to deduct, or undefined when it will not get a chance before expiry.
 * Deduction starts on the 9th day before expiry at 08:00 UTC+8 and is retried every day at 08:00.
 */
export function nextAutoRenewDeduction(expiry: Date, now: Date): Date | undefined {
  const first = firstAutoRenewDeduction(expiry);
  if (first.getTime() >= now.getTime()) return first;
  let next = beijingMorning(now, 0);
  if (next.getTime() < now.getTime()) next = new Date(next.getTime() + DAY_MS);
  return next.getTime() < expiry.getTime() ? next : undefined;
}

/** True when the first deduction date has already passed: auto-renew alone may not save the instance. */
export function insideAutoRenewWindow(expiry: Date, now: Date): boolean {
  return firstAutoRenewDeduction(expiry).getTime() < now.getTime();
}

/** Adds calendar months as ECS does, in Beijing's calendar (UTC+8), clamping to the month's last day. */
export function addMonths(date: Date, months: number): Date {
  const local = new Date(date.getTime() + BEIJING_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  return new Date(Date.UTC(y, m, day, local.getUTCHours(), local.getUTCMinutes()) - BEIJING_OFFSET_MS);
}

/** Expiry after renewing by `period` units from `from`. */
export function addRenewalPeriod(from: Date, period: number, unit: "Month" | "Week" | "Year"): Date {
  if (unit === "Week") return new Date(from.getTime() + period * 7 * DAY_MS);
  return addMonths(from, unit === "Year" ? 12 * period : period);
}

/**
 * The expiry a renewal to the unified expiration day gives: 00:00 (UTC+8) of `day` in the first month at
 * least one calendar month after `from` (Alibaba Cloud's "Synchronize the expiration dates" page: day 12,
 * 8 October renews to 12 November and 18 October to 12 December; the minimum renewal is one month).
 */
export function nextExpectedRenewDay(from: Date, day: number): Date {
  const earliest = addMonths(from, 1).getTime();
  const local = new Date(earliest + BEIJING_OFFSET_MS);
  const candidate = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), day) - BEIJING_OFFSET_MS;
  return new Date(candidate >= earliest ? candidate : Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, day) - BEIJING_OFFSET_MS);
}
