// What BSS (the billing OpenAPI) knows of an account's instances: the fleet file's `subscriptions` (other
// products), and every ECS instance of the account, seen live through the ECS records so a renewal or an
// expiry shows in both APIs at once.
import { DAY, parseTime, RELEASE_AFTER_MS, type AccountState, type InstanceRecord } from "../state";

export type BssRenewStatus = "AutoRenewal" | "ManualRenewal" | "NotRenewal";

/** A subscription of another product, as the fleet file gives it (and as it is kept). */
export interface SubscriptionRecord {
  /** BSS product code, lower case: "rds", "slb", "oss"… ("ecs" records come from the instances). */
  productCode: string;
  /** Default: the product code. */
  productType: string;
  instanceId: string;
  /** Default cn-hangzhou. */
  region: string;
  /** Default Subscription. */
  subscriptionType: "Subscription" | "PayAsYouGo";
  /** `yyyy-MM-ddTHH:mm:ssZ`, UTC. */
  createTime: string;
  endTime: string;
  /** Default ManualRenewal. */
  renewStatus: BssRenewStatus;
  /** Auto-renew cycles; default 1 with AutoRenewal, else 0. */
  renewalDuration: number;
  /** "M" (month, default) or "Y" (year). */
  renewalDurUnit: "M" | "Y";
}

/** A fleet-file entry: `endTime` or `expiresInDays` (against the emulator's clock at load). */
export type FleetSubscription = Partial<SubscriptionRecord> & { productCode: string; instanceId: string; expiresInDays?: number };

const PRODUCT_CODE = /^[a-z][a-z0-9_-]*$/;
/** BSS writes times with seconds; fleet files may leave them out. */
export const formatBssTime = (t: number) => new Date(t).toISOString().slice(0, 19) + "Z";

function oneOf<T extends string>(id: string, field: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new Error(`subscription ${id}: ${field} must be one of ${allowed.join(", ")}, not ${JSON.stringify(value)}`);
  return value as T;
}

function time(id: string, field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = parseTime(value);
  if (Number.isNaN(t)) throw new Error(`subscription ${id}: ${field} must be yyyy-MM-ddTHH:mm[:ss]Z, not ${JSON.stringify(value)}`);
  return t;
}

/** A fleet entry as a full record; refuses what the fleet cannot mean. */
export function toSubscription(input: FleetSubscription, now: number): SubscriptionRecord {
  const id = input.instanceId;
  if (typeof id !== "string" || id.trim() === "" || id !== id.trim()) throw new Error(`a subscription needs an instanceId, not ${JSON.stringify(id)}`);
  if (typeof input.productCode !== "string" || !PRODUCT_CODE.test(input.productCode)) {
    throw new Error(`subscription ${id}: productCode must be a lower-case BSS product code such as "rds", not ${JSON.stringify(input.productCode)}`);
  }
  if (input.productCode === "ecs") throw new Error(`subscription ${id}: ECS instances go under "instances"; BSS shows them as product ecs by itself`);
  if (input.expiresInDays !== undefined && !Number.isFinite(input.expiresInDays)) throw new Error(`subscription ${id}: expiresInDays is not a number`);
  const end = time(id, "endTime", input.endTime) ?? now + (input.expiresInDays ?? 30) * DAY;
  const renewStatus = oneOf(id, "renewStatus", input.renewStatus, ["AutoRenewal", "ManualRenewal", "NotRenewal"]) ?? "ManualRenewal";
  const renewalDuration = input.renewalDuration ?? (renewStatus === "AutoRenewal" ? 1 : 0);
  if (!Number.isInteger(renewalDuration) || renewalDuration < 0 || (renewStatus === "AutoRenewal" && renewalDuration < 1)) {
    throw new Error(`subscription ${id}: renewalDuration must be a whole number${renewStatus === "AutoRenewal" ? " >= 1 with AutoRenewal" : " >= 0"}`);
  }
  return {
    productCode: input.productCode,
    productType: input.productType ?? input.productCode,
    instanceId: id,
    region: input.region ?? "cn-hangzhou",
    subscriptionType: oneOf(id, "subscriptionType", input.subscriptionType, ["Subscription", "PayAsYouGo"]) ?? "Subscription",
    createTime: formatBssTime(time(id, "createTime", input.createTime) ?? end - 30 * DAY),
    endTime: formatBssTime(end),
    renewStatus,
    renewalDuration,
    renewalDurUnit: oneOf(id, "renewalDurUnit", input.renewalDurUnit, ["M", "Y"]) ?? "M",
  };
}

/** The fleet's subscriptions as records, all valid or an error naming the bad one; ids unique across the fleet. */
export function readSubscriptions(list: FleetSubscription[] | undefined, now: number, instanceIds: Iterable<string>): SubscriptionRecord[] {
  if (list !== undefined && !Array.isArray(list)) throw new Error(`a fleet's "subscriptions" must be an array`);
  const records = (list ?? []).map((s) => toSubscription(s, now));
  const seen = new Set(instanceIds);
  for (const r of records) {
    if (seen.has(r.instanceId)) throw new Error(`subscription ${r.instanceId}: the id is used twice in the fleet`);
    seen.add(r.instanceId);
  }
  return records;
}

/** One row of QueryAvailableInstances' `Data.InstanceList`, with the SDK model's names. */
export interface BssRow {
  ProductCode: string;
  ProductType: string;
  InstanceID: string;
  Region: string;
  SubscriptionType: string;
  CreateTime?: string;
  EndTime?: string;
  StopTime?: string;
  ExpectedReleaseTime?: string;
  RenewStatus: BssRenewStatus;
  RenewalDuration: number;
  RenewalDurationUnit: string;
  Status: string;
  SubStatus: string;
  OwnerId: number;
  Seller: string;
  SellerId: number;
}

/** The emulated account's owner (the only one it has). */
export const OWNER_ID = 1_234_567_890_123_456;
/** Reminders go out from 7 days before expiry: the same span is "about to expire" here. */
const WAIT_FOR_EXPIRE_MS = 7 * DAY;

function lifecycle(end: number, now: number): { status: string; stopTime?: string; release: number } {
  const release = end + RELEASE_AFTER_MS;
  if (now >= end) return { status: "Expired", stopTime: formatBssTime(end), release };
  return { status: end - now <= WAIT_FOR_EXPIRE_MS ? "WaitForExpire" : "Normal", release };
}

const ECS_RENEW_STATUS: Record<string, BssRenewStatus> = { AutoRenewal: "AutoRenewal", Normal: "ManualRenewal", NotRenewal: "NotRenewal" };
/** ECS auto-renews by Month, Year or Week; BSS documents only M and Y, so a weekly one shows as "W". */
const ECS_UNIT: Record<string, string> = { Month: "M", Year: "Y", Week: "W" };

const SELLER = { OwnerId: OWNER_ID, Seller: "26842", SellerId: 26842, SubStatus: "Normal" } as const;

/** An ECS instance as BSS lists it: expiry as ECS reads show it; released instances are gone from both. */
export function ecsRow(i: InstanceRecord, now: number): BssRow {
  const base = { ProductCode: "ecs", ProductType: "ecs", InstanceID: i.instanceId, Region: i.regionId, ...SELLER };
  if (i.instanceChargeType !== "PrePaid") {
    return { ...base, SubscriptionType: "PayAsYouGo", RenewStatus: "ManualRenewal", RenewalDuration: 0, RenewalDurationUnit: "M", Status: "Normal" };
  }
  const end = parseTime(i.expiredTime);
  const life = lifecycle(end, now);
  return {
    ...base,
    SubscriptionType: "Subscription",
    EndTime: formatBssTime(end),
    ...(life.stopTime ? { StopTime: life.stopTime } : {}),
    ExpectedReleaseTime: formatBssTime(life.release),
    RenewStatus: ECS_RENEW_STATUS[i.renewalStatus],
    RenewalDuration: i.renewalStatus === "AutoRenewal" ? i.duration : 0,
    RenewalDurationUnit: ECS_UNIT[i.periodUnit] ?? "M",
    Status: life.status,
  };
}

/** A fleet subscription as BSS lists it now, or undefined once it is released. */
export function subscriptionRow(s: SubscriptionRecord, now: number): BssRow | undefined {
  const base = { ProductCode: s.productCode, ProductType: s.productType, InstanceID: s.instanceId, Region: s.region, CreateTime: s.createTime, ...SELLER };
  if (s.subscriptionType === "PayAsYouGo") {
    return { ...base, SubscriptionType: "PayAsYouGo", RenewStatus: "ManualRenewal", RenewalDuration: 0, RenewalDurationUnit: "M", Status: "Normal" };
  }
  const end = parseTime(s.endTime);
  const life = lifecycle(end, now);
  if (now >= life.release) return undefined;
  return {
    ...base,
    SubscriptionType: "Subscription",
    EndTime: s.endTime,
    ...(life.stopTime ? { StopTime: life.stopTime } : {}),
    ExpectedReleaseTime: formatBssTime(life.release),
    RenewStatus: s.renewStatus,
    RenewalDuration: s.renewStatus === "AutoRenewal" ? s.renewalDuration : 0,
    RenewalDurationUnit: s.renewalDurUnit,
    Status: life.status,
  };
}

/** Every row BSS would list for the account now. */
export function allRows(state: AccountState): BssRow[] {
  const now = state.now();
  const rows: BssRow[] = [...state.instances.values()].map((i) => ecsRow(i, now));
  for (const s of state.subscriptions.values()) {
    const row = subscriptionRow(s, now);
    if (row) rows.push(row);
  }
  return rows;
}
