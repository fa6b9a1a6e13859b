// Fleet files: the instances and balance an emulator starts with.
import fs from "node:fs";
import path from "node:path";
import { ApiError } from "./errors";
import { AccountState, formatTime, POSTPAID_EXPIRY, type InstanceRecord } from "./state";

export interface FleetInstance {
  instanceId: string;
  regionId?: string;
  instanceChargeType?: "PrePaid" | "PostPaid";
  status?: string;
  /** `yyyy-MM-ddTHH:mmZ`; or give `expiresInDays` relative to the emulator's clock. */
  expiredTime?: string;
  expiresInDays?: number;
  renewalStatus?: "AutoRenewal" | "Normal" | "NotRenewal";
  duration?: number;
  periodUnit?: "Month" | "Year" | "Week";
  monthlyPrice?: number;
  starterPackage?: boolean;
  tags?: Record<string, string>;
}

export interface FleetFile {
  balance?: number;
  instances: FleetInstance[];
}

export const DEMO_FLEET = path.join(__dirname, "fleets", "demo.json");

export function readFleet(fleet: FleetFile | string | undefined): FleetFile {
  if (fleet === undefined) return JSON.parse(fs.readFileSync(DEMO_FLEET, "utf8")) as FleetFile;
  if (typeof fleet === "string") return JSON.parse(fs.readFileSync(fleet, "utf8")) as FleetFile;
  return fleet;
}

export function toRecord(input: FleetInstance | (Partial<InstanceRecord> & { instanceId: string }), now: number, existing?: InstanceRecord): InstanceRecord {
  const i = input as FleetInstance;
  if (!/^i-[0-9a-z]{4,}$/.test(i.instanceId ?? "")) throw new ApiError(400, "InvalidParameter.InvalidInstanceId", `bad instance id in fleet: ${i.instanceId}`);
  const chargeType = i.instanceChargeType ?? existing?.instanceChargeType ?? "PrePaid";
  const expiredTime =
    i.expiredTime ??
    (i.expiresInDays !== undefined ? formatTime(now + i.expiresInDays * 86_400_000) : existing?.expiredTime ?? formatTime(now + 30 * 86_400_000));
  const renewalStatus = i.renewalStatus ?? existing?.renewalStatus ?? "Normal";
  return {
    instanceId: i.instanceId,
    regionId: i.regionId ?? existing?.regionId ?? "cn-hangzhou",
    instanceChargeType: chargeType,
    status: i.status ?? existing?.status ?? "Running",
    expiredTime: chargeType === "PostPaid" ? POSTPAID_EXPIRY : expiredTime,
    renewalStatus,
    duration: i.duration ?? existing?.duration ?? (renewalStatus === "AutoRenewal" ? 1 : 0),
    periodUnit: i.periodUnit ?? existing?.periodUnit ?? "Month",
    monthlyPrice: i.monthlyPrice ?? existing?.monthlyPrice ?? 100,
    starterPackage: i.starterPackage ?? existing?.starterPackage ?? false,
    tags: i.tags ?? existing?.tags ?? {},
    lockReasons: (input as InstanceRecord).lockReasons ?? existing?.lockReasons ?? [],
  };
}

export function loadFleet(state: AccountState, fleet: FleetFile): void {
  for (const id of [...state.instances.keys()]) state.remove(id);
  state.ledger.length = 0;
  state.orders.clear();
  state.balance = fleet.balance ?? 10_000;
  const now = state.now();
  for (const i of fleet.instances) state.put(toRecord(i, now));
  state.tick();
}
