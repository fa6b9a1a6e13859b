// Fleet files: the instances and balance an emulator starts with (and what putInstance / POST instances take).
import fs from "node:fs";
import path from "node:path";
import { fleetRegions } from "./actions/describe-regions";
import { readSubscriptions, type FleetSubscription } from "./bss/subscriptions";
import { AccountState, DAY, formatTime, parseTime, POSTPAID_EXPIRY, type InstanceRecord } from "./state";

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
  /** CNY per month; default 100. */
  monthlyPrice?: number;
  starterPackage?: boolean;
  tags?: Record<string, string>;
  lockReasons?: string[];
}

export interface FleetFile {
  /** CNY; default 10000. */
  balance?: number;
  instances: FleetInstance[];
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
  return parsed;
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
  };
}

/** Replaces the account with the fleet: instances, balance; ledger and remembered orders are cleared. */
export function loadFleet(state: AccountState, fleet: FleetFile): void {
  const now = state.now();
  const records = fleet.instances.map((i) => toRecord(i, now)); // all valid before anything changes
  const subscriptions = readSubscriptions(fleet.subscriptions, now, records.map((r) => r.instanceId));
  const regions = fleetRegions(fleet.regions);
  state.clear();
  state.balance = fleet.balance ?? 10_000;
  for (const r of records) state.put(r);
  for (const s of subscriptions) state.subscriptions.set(s.instanceId, s);
  state.regions = regions;
  state.tick();
}
