// What the emulated account holds: instances, their auto-renew attributes and expiry, the balance, the
// orders placed (with their client tokens) and a ledger of every charge. Time comes from a settable clock
// so expiry, release and the auto-renew deduction can be driven by tests.
import crypto from "node:crypto";
import { ApiError } from "./errors";

export type RenewalStatus = "AutoRenewal" | "Normal" | "NotRenewal";

export interface InstanceRecord {
  instanceId: string;
  regionId: string;
  instanceChargeType: "PrePaid" | "PostPaid";
  status: string;
  /** `yyyy-MM-ddTHH:mmZ`, what reads show. */
  expiredTime: string;
  renewalStatus: RenewalStatus;
  duration: number;
  periodUnit: "Month" | "Year" | "Week";
  monthlyPrice: number;
  starterPackage: boolean;
  tags: Record<string, string>;
  lockReasons: string[];
}

export interface Charge {
  orderId: string;
  instanceId: string;
  kind: "renew" | "auto-renew";
  period?: number;
  periodUnit?: string;
  expectedRenewDay?: number;
  amount: number;
  currency: "CNY";
  clientToken?: string;
  time: string;
  previousExpiredTime: string;
  newExpiredTime: string;
}

interface Order {
  orderId: string;
  instanceId: string;
  fingerprint: string;
}

/** An expiry change that reads will show only after a delay, as ECS does after a renewal. */
interface PendingExpiry {
  expiredTime: string;
  visibleAt: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BEIJING = 8 * HOUR;
/** Released on the 8th day after expiry. */
export const RELEASE_AFTER_MS = 7 * DAY;
export const POSTPAID_EXPIRY = "2099-12-31T15:59Z";

export const formatTime = (d: Date | number) => new Date(d).toISOString().slice(0, 16) + "Z";
export function parseTime(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?Z$/.exec(s);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0);
}

/** Adds calendar months in Beijing's calendar, clamping the day to the month's end. */
export function addMonths(t: number, months: number): number {
  const local = new Date(t + BEIJING);
  const y = local.getUTCFullYear();
  const mo = local.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  return Date.UTC(y, mo, day, local.getUTCHours(), local.getUTCMinutes()) - BEIJING;
}

export function addPeriod(t: number, period: number, unit: string): number {
  if (unit === "Week") return t + period * 7 * DAY;
  if (unit === "Year") return addMonths(t, 12 * period);
  return addMonths(t, period);
}

/** The next time after `t` whose Beijing day of month is `day`, at the same time of day. */
export function nextRenewDay(t: number, day: number): number {
  let candidate = t + DAY;
  for (let i = 0; i < 62; i++, candidate += DAY) {
    if (new Date(candidate + BEIJING).getUTCDate() === day) return candidate;
  }
  throw new ApiError(400, "InvalidParameter.ExpectedRenewDay", "The specified ExpectedRenewDay is not valid.");
}

/** 08:00 UTC+8 on the 9th day before expiry. */
export function firstAutoRenewAttempt(expiry: number): number {
  const local = new Date(expiry + BEIJING);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - 9, 8) - BEIJING;
}

/** Pricing: one function for DescribeRenewalPrice and for what RenewInstance charges. */
export function renewalPrice(monthlyPrice: number, q: { period?: number; unit?: string; days?: number }): number {
  let amount: number;
  if (q.days !== undefined) amount = (monthlyPrice / 30) * q.days;
  else if (q.unit === "Week") amount = (monthlyPrice / 4) * (q.period ?? 1);
  else if (q.unit === "Year") amount = monthlyPrice * 12 * 0.85 * (q.period ?? 1);
  else amount = monthlyPrice * (q.period ?? 1);
  return Math.round(amount * 100) / 100;
}

export const requestId = () => crypto.randomUUID().toUpperCase();

export class Clock {
  private offset = 0;
  constructor(private readonly onChange: () => void) {}
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  set(t: Date | string | number): void {
    this.offset = new Date(t).getTime() - Date.now();
    this.onChange();
  }
  advance(ms: number): void {
    this.offset += ms;
    this.onChange();
  }
  /** Back to real time (a reset fleet starts from now). */
  reset(): void {
    this.offset = 0;
  }
}

export class AccountState {
  readonly instances = new Map<string, InstanceRecord>();
  readonly ledger: Charge[] = [];
  readonly orders = new Map<string, Order>();
  readonly pending = new Map<string, PendingExpiry>();
  /** Expiry instants (ms) of instances, as opposed to what reads show while a renewal is settling. */
  private readonly expiry = new Map<string, number>();
  private readonly autoRenewTriedUntil = new Map<string, number>();
  balance = 10_000;
  orderSeq = 0;
  readonly clock = new Clock(() => this.tick());

  constructor(public expiryVisibilityDelayMs = 500) {}

  now(): number {
    return this.clock.now().getTime();
  }

  put(record: InstanceRecord): void {
    this.instances.set(record.instanceId, record);
    this.expiry.set(record.instanceId, record.instanceChargeType === "PrePaid" ? parseTime(record.expiredTime) : NaN);
    this.pending.delete(record.instanceId);
    this.autoRenewTriedUntil.delete(record.instanceId);
  }

  remove(id: string): void {
    this.instances.delete(id);
    this.expiry.delete(id);
    this.pending.delete(id);
  }

  /** The instance as reads show it, or undefined when it does not exist (or was released). Call tick() first. */
  visible(id: string): InstanceRecord | undefined {
    return this.instances.get(id);
  }

  expiryOf(id: string): number {
    return this.expiry.get(id) ?? NaN;
  }

  /** True while a renewal's new expiry is not visible yet (an order still "processing"). */
  processing(id: string): boolean {
    const p = this.pending.get(id);
    return p !== undefined && p.visibleAt > Date.now();
  }

  /** Extends an instance's paid period; reads see it after the visibility delay. */
  extend(id: string, newExpiry: number, delayMs = this.expiryVisibilityDelayMs): void {
    const inst = this.instances.get(id)!;
    this.expiry.set(id, newExpiry);
    if (inst.status === "Stopped" && inst.lockReasons.includes("financial")) {
      inst.status = "Running";
      inst.lockReasons = inst.lockReasons.filter((r) => r !== "financial");
    }
    if (delayMs <= 0) inst.expiredTime = formatTime(newExpiry);
    else this.pending.set(id, { expiredTime: formatTime(newExpiry), visibleAt: Date.now() + delayMs });
  }

  charge(entry: Omit<Charge, "orderId" | "currency" | "time">, at = this.clock.now()): Charge {
    if (this.balance < entry.amount) {
      throw new ApiError(403, "InvalidAccountStatus.NotEnoughBalance", "Your account does not have enough balance to complete this order.");
    }
    this.balance = Math.round((this.balance - entry.amount) * 100) / 100;
    const charge: Charge = { ...entry, orderId: String(2_000_000_000_000 + ++this.orderSeq), currency: "CNY", time: at.toISOString() };
    this.ledger.push(charge);
    return charge;
  }

  /** Applies what time does to subscriptions: visible renewals, auto-renew deductions, expiry, release. */
  tick(): void {
    const now = this.now();
    for (const [id, p] of this.pending) {
      if (p.visibleAt <= Date.now()) {
        const inst = this.instances.get(id);
        if (inst) inst.expiredTime = p.expiredTime;
        this.pending.delete(id);
      }
    }
    for (const inst of [...this.instances.values()]) {
      if (inst.instanceChargeType !== "PrePaid") continue;
      this.autoRenew(inst, now);
      const expiry = this.expiry.get(inst.instanceId)!;
      if (now >= expiry + RELEASE_AFTER_MS) {
        this.remove(inst.instanceId);
      } else if (now >= expiry && !inst.lockReasons.includes("financial")) {
        inst.status = "Stopped";
        inst.lockReasons = [...inst.lockReasons, "financial"];
      }
    }
  }

  /** Daily attempts at 08:00 UTC+8 from the 9th day before expiry until one succeeds or it expires. */
  private autoRenew(inst: InstanceRecord, now: number): void {
    for (let guard = 0; guard < 1000 && inst.renewalStatus === "AutoRenewal"; guard++) {
      const expiry = this.expiry.get(inst.instanceId)!;
      const tried = this.autoRenewTriedUntil.get(inst.instanceId) ?? -Infinity;
      let attempt = firstAutoRenewAttempt(expiry);
      while (attempt <= tried) attempt += DAY;
      if (attempt > now || attempt >= expiry) return;
      this.autoRenewTriedUntil.set(inst.instanceId, attempt);
      const amount = renewalPrice(inst.monthlyPrice, { period: inst.duration, unit: inst.periodUnit });
      if (this.balance < amount) continue;
      const newExpiry = addPeriod(expiry, inst.duration, inst.periodUnit);
      this.charge({
        instanceId: inst.instanceId,
        kind: "auto-renew",
        period: inst.duration,
        periodUnit: inst.periodUnit,
        amount,
        previousExpiredTime: formatTime(expiry),
        newExpiredTime: formatTime(newExpiry),
      }, new Date(attempt));
      this.extend(inst.instanceId, newExpiry, 0);
    }
  }
}
