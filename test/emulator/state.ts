// What the emulated account holds: instances, their auto-renew attributes and expiry, the balance, the
// orders placed (with their client tokens) and a ledger of every charge. Time comes from a settable clock
// so expiry, release and the auto-renew deduction can be driven by tests.
import crypto from "node:crypto";
import type { SubscriptionRecord } from "./bss/subscriptions";
import { ApiError } from "./errors";
import { SITE_RULES, type Site } from "./sites";
import { FAMILIES, type FamilyKind, type FamilyRecord } from "./families";

export type RenewalStatus = "AutoRenewal" | "Normal" | "NotRenewal";
export type PeriodUnit = "Month" | "Year" | "Week";

/** What every subscription the emulator keeps has, instances and the other families alike. */
export interface SubscriptionTerms {
  regionId: string;
  status: string;
  /** `yyyy-MM-ddTHH:mmZ`, what reads show (a renewal shows here only after the visibility delay). */
  expiredTime: string;
  renewalStatus: RenewalStatus;
  /** Auto-renew period (used with AutoRenewal). */
  duration: number;
  periodUnit: PeriodUnit;
  /** Price of one month in the account's currency; every price derives from it (see renewalPrice). */
  monthlyPrice: number;
  /** OperationLocks.LockReason[]; "financial" while expired. */
  lockReasons: string[];
}

export interface InstanceRecord extends SubscriptionTerms {
  instanceId: string;
  instanceChargeType: "PrePaid" | "PostPaid";
  /** Bought with a starter package: renews by the month only. */
  starterPackage: boolean;
  tags: Record<string, string>;
  /** The dedicated host it runs on, if any: it cannot be renewed past the host's expiry. */
  dedicatedHostId?: string;
}

export interface Charge {
  orderId: string;
  /** The id charged for: an instance's, or another subscription's (then `family` says which). */
  instanceId: string;
  family?: FamilyKind;
  kind: "renew" | "auto-renew";
  period?: number;
  periodUnit?: string;
  expectedRenewDay?: number;
  amount: number;
  currency: "CNY" | "USD";
  clientToken?: string;
  /** ISO time on the emulator's clock (for auto-renew: the 08:00 UTC+8 attempt that paid). */
  time: string;
  previousExpiredTime: string;
  newExpiredTime: string;
}

/** A RenewInstance order remembered by its ClientToken. */
export interface Order {
  orderId: string;
  instanceId: string;
  /** The parameters that make "the same request". */
  fingerprint: string;
}

/** An expiry change that reads show only after a delay, as ECS does after a renewal. */
interface PendingExpiry {
  expiredTime: string;
  /** Emulator-clock instant from which reads show it. */
  visibleAt: number;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
const BEIJING = 8 * HOUR;
/** Released 15 days after expiry ("Subscription": resources are retained within 15 days after expiration). */
export const RELEASE_AFTER_MS = 15 * DAY;
/** What the API shows as ExpiredTime for Pay-As-You-Go instances. */
export const POSTPAID_EXPIRY = "2099-12-31T15:59Z";

export const formatTime = (d: Date | number) => new Date(d).toISOString().slice(0, 16) + "Z";

/** Parses the API's `yyyy-MM-ddTHH:mmZ` (seconds optional); NaN when malformed. */
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

/**
 * A renewal to the unified expiration day: 00:00 (UTC+8) of `day` in the first month that lies at least
 * one calendar month after `t` ("Synchronize the expiration dates": day 12, 8 October renews to 12 November,
 * 18 October to 12 December; the minimum renewal is one month).
 */
export function unifiedExpiryAfter(t: number, day: number): number {
  const earliest = addMonths(t, 1);
  const local = new Date(earliest + BEIJING);
  const candidate = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), day) - BEIJING;
  return candidate >= earliest ? candidate : Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, day) - BEIJING;
}

/** 08:00 UTC+8 on the 9th calendar day (Beijing) before expiry. */
export function firstAutoRenewAttempt(expiry: number): number {
  const local = new Date(expiry + BEIJING);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - 9, 8) - BEIJING;
}

export interface PriceQuote {
  originalPrice: number;
  discountPrice: number;
  tradePrice: number;
  currency: "CNY" | "USD";
}

const cents = (n: number) => Math.round(n * 100) / 100;
/** The discount on yearly terms (the only discount modelled). */
export const YEARLY_DISCOUNT = 0.15;

/**
 * The one pricing function: DescribeRenewalPrice shows it, RenewInstance and auto-renew charge its
 * tradePrice. Month = monthly × n; Week = (monthly / 4, in cents) × n; whole years (Year × n, or Month × 12n)
 * = 12 × monthly × years less 15 %; a renewal to a unified expiry day = monthly / 30 × days added.
 * Everything rounded to cents, in the account's currency.
 */
export function renewalPrice(monthlyPrice: number, q: { period?: number; unit?: string; days?: number }, currency: PriceQuote["currency"] = "CNY"): PriceQuote {
  const n = q.period ?? 1;
  const years = q.unit === "Year" ? n : q.unit === "Month" || q.unit === undefined ? (n % 12 === 0 ? n / 12 : 0) : 0;
  let original: number;
  let discount = 0;
  if (q.days !== undefined) original = cents((monthlyPrice / 30) * q.days);
  else if (q.unit === "Week") original = cents(cents(monthlyPrice / 4) * n);
  else if (years > 0) {
    original = cents(monthlyPrice * 12 * years);
    discount = cents(original * YEARLY_DISCOUNT);
  } else original = cents(monthlyPrice * n);
  return { originalPrice: original, discountPrice: discount, tradePrice: cents(original - discount), currency };
}

/** A request id like the real one: an upper-case UUID. */
export const requestId = () => crypto.randomUUID().toUpperCase();

/** Emulated time: real time plus an offset that set/advance move. `onChange` lets the account catch up. */
export class Clock {
  private offset = 0;
  constructor(private readonly onChange: () => void) {}
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  set(t: Date | string | number): void {
    const ms = new Date(t).getTime();
    if (Number.isNaN(ms)) throw new Error(`not a time: ${String(t)}`);
    this.offset = ms - Date.now();
    this.onChange();
  }
  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new Error(`not a number of milliseconds: ${String(ms)}`);
    this.offset += ms;
    this.onChange();
  }
  /** Back to real time, without catching up (a fleet is about to be loaded). */
  reset(): void {
    this.offset = 0;
  }
}

/** Either kind of record, as the lifecycle sees it. */
type Renewable = InstanceRecord | FamilyRecord;
const idOf = (r: Renewable): string => ("instanceId" in r ? r.instanceId : r.id);
const prepaid = (r: Renewable): boolean => ("instanceId" in r ? r.instanceChargeType : r.chargeType) === "PrePaid";

export class AccountState {
  readonly instances = new Map<string, InstanceRecord>();
  /** Dedicated hosts, reserved instances, elasticity assurances and EMR clusters, by id. */
  readonly families = new Map<string, FamilyRecord>();
  readonly ledger: Charge[] = [];
  /** Orders by ClientToken. Kept for the emulator's lifetime (the real retention is not documented). */
  readonly orders = new Map<string, Order>();
  private readonly pending = new Map<string, PendingExpiry>();
  /** Expiry instants (ms), as opposed to what reads show while a renewal is settling. */
  private readonly expiry = new Map<string, number>();
  /** Auto-renew attempts at or before this instant are done (or predate the instance's AutoRenewal). */
  private readonly autoRenewTriedUntil = new Map<string, number>();
  balance = 10_000;
  /** The account's site (fleet file "site"): its value sets and currency. */
  site: Site = "china";
  /** The account's unified expiration day (fleet file "unifiedExpiryDay"), if one is set. */
  unifiedExpiryDay?: number;
  /** RenewInstance client tokens whose first request is still being handled, by that request's id. */
  readonly tokensInFlight = new Map<string, string>();
  /** Other products' subscriptions, as BSS lists them (fleet key `subscriptions`). */
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  /** The account's regions (fleet key `regions`); undefined: the public list (DescribeRegions). */
  regions?: string[];
  private orderSeq = 0;
  readonly clock = new Clock(() => this.tick());

  constructor(public expiryVisibilityDelayMs = 500) {}

  now(): number {
    return this.clock.now().getTime();
  }

  get currency(): "CNY" | "USD" {
    return SITE_RULES[this.site].currency;
  }

  /** Adds or replaces an instance as it stands now: auto-renew attempts before now are not replayed. */
  put(record: InstanceRecord): void {
    this.instances.set(record.instanceId, record);
    this.expiry.set(record.instanceId, record.instanceChargeType === "PrePaid" ? parseTime(record.expiredTime) : NaN);
    this.pending.delete(record.instanceId);
    this.autoRenewTriedUntil.set(record.instanceId, this.now());
  }

  /** Adds or replaces a subscription of another family, as put does an instance. */
  putFamilyRecord(record: FamilyRecord): void {
    this.families.set(record.id, record);
    this.expiry.set(record.id, record.chargeType === "PrePaid" ? parseTime(record.expiredTime) : NaN);
    this.pending.delete(record.id);
    this.autoRenewTriedUntil.set(record.id, this.now());
  }

  /** A subscription of `kind` (any kind when undefined) as reads show it, or undefined when it does not exist. */
  familyRecord(id: string, kind?: FamilyKind): FamilyRecord | undefined {
    const s = this.families.get(id);
    return s && (kind === undefined || s.kind === kind) ? s : undefined;
  }

  remove(id: string): void {
    this.instances.delete(id);
    this.families.delete(id);
    this.expiry.delete(id);
    this.pending.delete(id);
    this.autoRenewTriedUntil.delete(id);
  }

  /** Forgets everything (before a fleet is loaded). */
  clear(): void {
    for (const id of [...this.instances.keys(), ...this.families.keys()]) this.remove(id);
    this.ledger.length = 0;
    this.orders.clear();
    this.tokensInFlight.clear();
    this.site = "china";
    this.unifiedExpiryDay = undefined;
    this.subscriptions.clear();
  }

  /** The instance as reads show it, or undefined when it does not exist (or was released). */
  visible(id: string): InstanceRecord | undefined {
    return this.instances.get(id);
  }

  expiryOf(id: string): number {
    return this.expiry.get(id) ?? NaN;
  }

  /** True while a renewal's new expiry is not visible yet (the order is still "processing"). */
  processing(id: string): boolean {
    const p = this.pending.get(id);
    return p !== undefined && p.visibleAt > this.now();
  }

  /** Sets the renewal status; switching to AutoRenewal starts deduction attempts from now, not from the past. */
  setRenewal(inst: Renewable, status: RenewalStatus, duration?: number, unit?: PeriodUnit): void {
    const id = idOf(inst);
    if (status === "AutoRenewal" && inst.renewalStatus !== "AutoRenewal") {
      this.autoRenewTriedUntil.set(id, Math.max(this.autoRenewTriedUntil.get(id) ?? -Infinity, this.now()));
    }
    inst.renewalStatus = status;
    if (status === "AutoRenewal") {
      inst.duration = duration ?? 1;
      inst.periodUnit = unit ?? "Month";
    }
  }

  /** Extends an instance's paid period (restarting it if expired); reads see the new expiry after the delay. */
  extend(id: string, newExpiry: number, delayMs = this.expiryVisibilityDelayMs): void {
    const inst: Renewable = this.instances.get(id) ?? this.families.get(id)!;
    this.expiry.set(id, newExpiry);
    if (inst.lockReasons.includes("financial")) {
      inst.status = "instanceId" in inst ? "Running" : FAMILIES[inst.kind].activeStatus;
      inst.lockReasons = inst.lockReasons.filter((r) => r !== "financial");
    }
    if (delayMs <= 0) {
      inst.expiredTime = formatTime(newExpiry);
      this.pending.delete(id);
    } else this.pending.set(id, { expiredTime: formatTime(newExpiry), visibleAt: this.now() + delayMs });
  }

  /** Deducts from the balance and records the charge; refuses (changing nothing) when the balance is short. */
  charge(entry: Omit<Charge, "orderId" | "currency" | "time">, at = this.clock.now()): Charge {
    if (this.balance < entry.amount) {
      throw new ApiError(403, "InvalidAccountStatus.NotEnoughBalance", `Your account does not have enough balance to pay for this order: ${entry.amount.toFixed(2)} ${this.currency} is due for ${entry.instanceId}.`);
    }
    this.balance = cents(this.balance - entry.amount);
    const charge: Charge = { ...entry, orderId: String(2_000_000_000_000 + ++this.orderSeq), currency: this.currency, time: at.toISOString() };
    this.ledger.push(charge);
    return charge;
  }

  /**
   * Applies what time does to subscriptions, in time order across all instances (so a long clock jump pays
   * auto-renewals in the order they fall due, against one balance): auto-renew attempts, the stop at expiry,
   * the release 15 days later; then renewals that have become visible.
   */
  tick(): void {
    const now = this.now();
    const queue: TimedEvent[] = [];
    for (const inst of [...this.instances.values(), ...this.families.values()]) this.schedule(queue, inst, now);
    // The bound only guards against a bug looping forever; a decade of daily events for a big fleet fits.
    for (let e = popEarliest(queue), n = 0; e && n < 5_000_000; e = popEarliest(queue), n++) {
      const inst: Renewable | undefined = this.instances.get(e.id) ?? this.families.get(e.id);
      if (!inst) continue;
      if (e.kind === "release") {
        this.remove(e.id);
        continue;
      }
      if (e.kind === "stop") {
        if ("instanceId" in inst) inst.status = "Stopped";
        else inst.status = FAMILIES[inst.kind].expiredStatus ?? inst.status;
        if (!inst.lockReasons.includes("financial")) inst.lockReasons = [...inst.lockReasons, "financial"];
      } else this.attemptAutoRenew(inst, e.at, queue, now);
      this.schedule(queue, inst, now);
    }
    for (const [id, p] of this.pending) {
      if (p.visibleAt <= now) {
        const inst = this.instances.get(id) ?? this.families.get(id);
        if (inst) inst.expiredTime = p.expiredTime;
        this.pending.delete(id);
      }
    }
  }

  /** Queues the instance's next lifecycle event if it is due by `now`. */
  private schedule(queue: TimedEvent[], inst: Renewable, now: number): void {
    if (!prepaid(inst)) return;
    const id = idOf(inst);
    const expiry = this.expiry.get(id)!;
    if (Number.isNaN(expiry)) return;
    let next: TimedEvent;
    if (inst.lockReasons.includes("financial") && now >= expiry) next = { at: expiry + RELEASE_AFTER_MS, id, kind: "release" };
    else {
      next = { at: expiry, id, kind: "stop" };
      if (inst.renewalStatus === "AutoRenewal") {
        // Daily attempts at 08:00 UTC+8 from the 9th day before expiry, after the last one tried.
        const tried = this.autoRenewTriedUntil.get(id) ?? -Infinity;
        let attempt = firstAutoRenewAttempt(expiry);
        if (attempt <= tried) attempt += Math.ceil((tried - attempt + 1) / DAY) * DAY;
        if (attempt < expiry) next = { at: attempt, id, kind: "auto-renew" };
      }
    }
    if (next.at <= now) pushEvent(queue, next);
  }

  /**
   * One auto-renew attempt at `at`: pays and extends by Duration/PeriodUnit, or (balance short) waits a day.
   * An instance on a dedicated host cannot outlive the host: unless the host follows it (AutoRenewWithEcs,
   * renewed here by its smallest monthly Duration that reaches), the attempt fails and is retried daily.
   */
  private attemptAutoRenew(inst: Renewable, at: number, queue: TimedEvent[], now: number): void {
    const id = idOf(inst);
    this.autoRenewTriedUntil.set(id, at);
    const { tradePrice } = renewalPrice(inst.monthlyPrice, { period: inst.duration, unit: inst.periodUnit }, this.currency);
    if (this.balance < tradePrice) return;
    const expiry = this.expiry.get(id)!;
    const newExpiry = addPeriod(expiry, Math.max(1, inst.duration), inst.periodUnit);
    const host = "instanceId" in inst && inst.dedicatedHostId ? this.familyRecord(inst.dedicatedHostId, "dedicatedHost") : undefined;
    if (host && this.expiryOf(host.id) < newExpiry && !this.followInstance(host, newExpiry, at, tradePrice)) return;
    if (host) this.schedule(queue, host, now);
    this.charge(
      {
        instanceId: id,
        ...("instanceId" in inst ? {} : { family: inst.kind }),
        kind: "auto-renew",
        period: inst.duration,
        periodUnit: inst.periodUnit,
        amount: tradePrice,
        previousExpiredTime: formatTime(expiry),
        newExpiredTime: formatTime(newExpiry),
      },
      new Date(at),
    );
    this.extend(id, newExpiry, 0);
  }

  /** A host set to AutoRenewal and AutoRenewWithEcs renews so that it reaches `until`; false when it may not. */
  private followInstance(host: FamilyRecord, until: number, at: number, instancePrice: number): boolean {
    if (host.renewalStatus !== "AutoRenewal" || host.autoRenewWithEcs !== "AutoRenewWithEcs") return false;
    const from = this.expiryOf(host.id);
    const months = [1, 2, 3, 6, 12, 24, 36, 48, 60].find((m) => addPeriod(from, m, "Month") >= until);
    if (months === undefined) return false;
    const { tradePrice } = renewalPrice(host.monthlyPrice, { period: months, unit: "Month" }, this.currency);
    if (this.balance < tradePrice + instancePrice) return false;
    const newExpiry = addPeriod(from, months, "Month");
    this.charge({ instanceId: host.id, family: "dedicatedHost", kind: "auto-renew", period: months, periodUnit: "Month", amount: tradePrice, previousExpiredTime: formatTime(from), newExpiredTime: formatTime(newExpiry) }, new Date(at));
    this.extend(host.id, newExpiry, 0);
    return true;
  }
}

interface TimedEvent {
  at: number;
  id: string;
  kind: "auto-renew" | "stop" | "release";
}

/** A binary min-heap on `at` (ties: instance id), so long jumps cost O(events · log instances). */
const before = (a: TimedEvent, b: TimedEvent) => a.at < b.at || (a.at === b.at && a.id < b.id);

function pushEvent(heap: TimedEvent[], e: TimedEvent): void {
  heap.push(e);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i], heap[parent])) break;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

function popEarliest(heap: TimedEvent[]): TimedEvent | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0 && last) {
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l], heap[m])) m = l;
      if (r < heap.length && before(heap[r], heap[m])) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
  return top;
}
