// Fleet files: the instances and balance an emulator starts with (and what putInstance / POST instances take).
import fs from "node:fs";
import path from "node:path";
import { validPattern } from "./ram";
import type { EmulatorKey } from "./signature";
import { SITES, type Site } from "./sites";
import { fleetRegions } from "./actions/describe-regions";
import { readSubscriptions, type FleetSubscription } from "./bss/subscriptions";
import { AccountState, DAY, formatTime, parseTime, POSTPAID_EXPIRY, type InstanceRecord } from "./state";
import { FAMILIES, FAMILY_KINDS, toFamilyRecord, type FamilyRecord, type FleetFamilyEntry } from "./families";

export interface FleetInstance {
  instanceId: string;
  /** Default cn-hangzhou. */
  regionId?: string;
  /** Default PrePaid. */
  instanceChargeType?: "PrePaid" | "PostPaid";
  /** Default Running. */
  status?: string;
  /** `yyyy-MM-ddTHH:mmZ`; or give `expiresInDays` relative to the emulator's clock. Default: 30 days from now. */
  expiredTime?: string;
  expiresInDays?: number;
  /** Default Normal. */
  renewalStatus?: "AutoRenewal" | "Normal" | "NotRenewal";
  /** Auto-renew period; default 1 for AutoRenewal, else 0. */
  duration?: number;
  /** Default Month. */
  periodUnit?: "Month" | "Year" | "Week";
  /** Per month, in the account's currency (CNY, or USD on the international site); default 100. */
  monthlyPrice?: number;
  starterPackage?: boolean;
  tags?: Record<string, string>;
  lockReasons?: string[];
  /** The dedicated host (`dh-…`, one of the fleet's dedicatedHosts) the instance runs on. */
  dedicatedHostId?: string;
}

/** An extra access key with a RAM policy: the actions it may call, as patterns such as "ecs:Describe*". */
export interface FleetKey {
  accessKeyId: string;
  accessKeySecret: string;
  /** Default ["ecs:*", "bss:*", "emr:*"]. */
  allow?: string[];
}

export interface FleetFile {
  /** In the account's currency; default 10000. */
  balance?: number;
  /** Default "china": CNY and the China site's value sets; "international": USD, no Week, RenewInstance Month 1–9 and 12. */
  site?: Site;
  /** The account's unified expiration day (1–28); without it RenewInstance refuses ExpectedRenewDay. */
  unifiedExpiryDay?: number;
  /** Keys next to the emulator's own (which keep working). */
  keys?: FleetKey[];
  instances: FleetInstance[];
  /** The other subscription families, each entry with its id field and the lifecycle fields instances have. */
  dedicatedHosts?: FleetFamilyEntry[];
  reservedInstances?: FleetFamilyEntry[];
  elasticityAssurances?: FleetFamilyEntry[];
  /** EMR clusters: clusterId, the fee's expiry and auto-renew settings, and `nodes`, the ids of its ECS instances. */
  emrClusters?: FleetFamilyEntry[];
  /** Other products' subscriptions, listed by BSS QueryAvailableInstances (ECS instances appear there by themselves). */
  subscriptions?: FleetSubscription[];
  /** The account's regions for DescribeRegions; default the public regions plus the fleet's own. */
  regions?: string[];
}

export const DEMO_FLEET = path.join(__dirname, "fleets", "demo.json");
export const INSTANCE_ID = /^i-[0-9a-z]{4,}$/;

export function readFleet(fleet: FleetFile | string | undefined): FleetFile {
  const file = fleet ?? DEMO_FLEET;
  const parsed = typeof file === "string" ? (JSON.parse(fs.readFileSync(file, "utf8")) as FleetFile) : file;
  if (!parsed || !Array.isArray(parsed.instances)) throw new Error(`a fleet needs an "instances" array${typeof file === "string" ? `: ${file}` : ""}`);
  if (parsed.balance !== undefined && !Number.isFinite(parsed.balance)) throw new Error(`fleet balance is not a number: ${String(parsed.balance)}`);
  if (parsed.site !== undefined && !SITES.includes(parsed.site)) throw new Error(`fleet site must be one of ${SITES.join(", ")}, not ${JSON.stringify(parsed.site)}`);
  const day = parsed.unifiedExpiryDay;
  if (day !== undefined && !(Number.isInteger(day) && day >= 1 && day <= 28)) throw new Error(`fleet unifiedExpiryDay must be a day of the month from 1 to 28, not ${JSON.stringify(day)}`);
  if (parsed.keys !== undefined) {
    if (!Array.isArray(parsed.keys)) throw new Error("fleet keys must be an array of {accessKeyId, accessKeySecret, allow}");
    for (const k of parsed.keys) {
      if (!k || typeof k.accessKeyId !== "string" || !k.accessKeyId || typeof k.accessKeySecret !== "string" || !k.accessKeySecret) {
        throw new Error(`a fleet key needs a non-empty accessKeyId and accessKeySecret: ${JSON.stringify(k)}`);
      }
      if (k.allow !== undefined && !(Array.isArray(k.allow) && k.allow.every(validPattern))) {
        throw new Error(`fleet key ${k.accessKeyId}: allow must be a list of RAM action patterns such as "ecs:Describe*" or "ecs:RenewInstance", not ${JSON.stringify(k.allow)}`);
      }
    }
  }
  return parsed;
}

/** The fleet's keys as the authenticator holds them. */
export function fleetKeys(fleet: FleetFile): EmulatorKey[] {
  return (fleet.keys ?? []).map((k) => ({ accessKeyId: k.accessKeyId, accessKeySecret: k.accessKeySecret, allow: k.allow ?? ["ecs:*", "bss:*", "emr:*"] }));
}

const oneOf = <T extends string>(field: string, value: unknown, allowed: readonly T[], id: string): T | undefined => {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new Error(`instance ${id}: ${field} must be one of ${allowed.join(", ")}, not ${JSON.stringify(value)}`);
  return value as T;
};

/** A fleet entry (or a partial record) as a full record; fields not given keep `existing`'s values. */
export function toRecord(input: FleetInstance | (Partial<InstanceRecord> & { instanceId: string }), now: number, existing?: InstanceRecord): InstanceRecord {
  const i = input as FleetInstance;
  if (typeof i.instanceId !== "string" || !INSTANCE_ID.test(i.instanceId)) {
    throw new Error(`instance id ${JSON.stringify(i.instanceId)} does not look like an ECS id (^i-[0-9a-z]{4,}$)`);
  }
  const id = i.instanceId;
  const chargeType = oneOf("instanceChargeType", i.instanceChargeType, ["PrePaid", "PostPaid"], id) ?? existing?.instanceChargeType ?? "PrePaid";
  if (i.expiredTime !== undefined && Number.isNaN(parseTime(i.expiredTime))) throw new Error(`instance ${id}: expiredTime must be yyyy-MM-ddTHH:mmZ, not ${JSON.stringify(i.expiredTime)}`);
  if (i.expiresInDays !== undefined && !Number.isFinite(i.expiresInDays)) throw new Error(`instance ${id}: expiresInDays is not a number`);
  const expiredTime =
    i.expiredTime ?? (i.expiresInDays !== undefined ? formatTime(now + i.expiresInDays * DAY) : existing?.expiredTime ?? formatTime(now + 30 * DAY));
  const renewalStatus = oneOf("renewalStatus", i.renewalStatus, ["AutoRenewal", "Normal", "NotRenewal"], id) ?? existing?.renewalStatus ?? "Normal";
  const monthlyPrice = i.monthlyPrice ?? existing?.monthlyPrice ?? 100;
  if (!Number.isFinite(monthlyPrice) || monthlyPrice < 0) throw new Error(`instance ${id}: monthlyPrice must be a number >= 0`);
  const duration = i.duration ?? (existing?.duration || (renewalStatus === "AutoRenewal" ? 1 : 0));
  if (!Number.isInteger(duration) || duration < 0 || (renewalStatus === "AutoRenewal" && duration < 1)) {
    throw new Error(`instance ${id}: duration must be a whole number${renewalStatus === "AutoRenewal" ? " >= 1 with AutoRenewal" : " >= 0"}`);
  }
  return {
    instanceId: id,
    regionId: i.regionId ?? existing?.regionId ?? "cn-hangzhou",
    instanceChargeType: chargeType,
    status: i.status ?? existing?.status ?? "Running",
    expiredTime: chargeType === "PostPaid" ? POSTPAID_EXPIRY : expiredTime,
    renewalStatus,
    duration,
    periodUnit: oneOf("periodUnit", i.periodUnit, ["Month", "Year", "Week"], id) ?? existing?.periodUnit ?? "Month",
    monthlyPrice,
    starterPackage: i.starterPackage ?? existing?.starterPackage ?? false,
    tags: { ...(i.tags ?? existing?.tags ?? {}) },
    lockReasons: [...(i.lockReasons ?? existing?.lockReasons ?? [])],
    ...((i.dedicatedHostId ?? existing?.dedicatedHostId) ? { dedicatedHostId: dedicatedHostOf(i.dedicatedHostId ?? existing!.dedicatedHostId!, id) } : {}),
  };
}

function dedicatedHostOf(host: unknown, id: string): string {
  if (typeof host !== "string" || !FAMILIES.dedicatedHost.idPattern.test(host)) throw new Error(`instance ${id}: dedicatedHostId ${JSON.stringify(host)} does not look like a dedicated host id (dh-…)`);
  return host;
}

/** Every subscription of the other families in a fleet, as records. */
function fleetFamilies(fleet: FleetFile, now: number): FamilyRecord[] {
  return FAMILY_KINDS.flatMap((kind) => {
    const list = fleet[FAMILIES[kind].fleetKey];
    if (list !== undefined && !Array.isArray(list)) throw new Error(`fleet ${FAMILIES[kind].fleetKey} must be an array`);
    return (list ?? []).map((entry) => toFamilyRecord(kind, entry, now));
  });
}

/** Replaces the account with the fleet: instances, balance, site, unified expiry day; ledger and remembered orders are cleared. */
export function loadFleet(state: AccountState, fleet: FleetFile): void {
  const now = state.now();
  const records = fleet.instances.map((i) => toRecord(i, now)); // all valid before anything changes
  const families = fleetFamilies(fleet, now);
  const known = new Set([...records.map((r) => r.instanceId), ...families.map((s) => s.id)]);
  for (const r of records) if (r.dedicatedHostId && !known.has(r.dedicatedHostId)) throw new Error(`instance ${r.instanceId}: dedicated host ${r.dedicatedHostId} is not in the fleet's dedicatedHosts`);
  for (const s of families) for (const n of s.nodes ?? []) if (!known.has(n)) throw new Error(`emrClusters ${s.id}: node ${n} is not in the fleet's instances`);
  const subscriptions = readSubscriptions(fleet.subscriptions, now, records.map((r) => r.instanceId));
  const regions = fleetRegions(fleet.regions);
  state.clear();
  state.balance = fleet.balance ?? 10_000;
  state.site = fleet.site ?? "china";
  state.unifiedExpiryDay = fleet.unifiedExpiryDay;
  for (const r of records) state.put(r);
  for (const s of families) state.putFamilyRecord(s);
  for (const s of subscriptions) state.subscriptions.set(s.instanceId, s);
  state.regions = regions;
  state.tick();
}
