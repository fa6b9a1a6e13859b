// The subscriptions beside ECS instances that the emulator keeps: dedicated hosts, reserved instances,
// elasticity assurances (ECS 2014-05-26) and the E-MapReduce cluster fee (EMR 2021-03-20). One record shape
// for all of them, the lifecycle instances have (expiry, auto-renew, release); what differs per family is in
// FAMILIES. Sources for every rule: README.md, "Subscription families".
import { DAY, formatTime, parseTime, type PeriodUnit, type RenewalStatus, type SubscriptionTerms } from "./state";

export type FamilyKind = "dedicatedHost" | "reservedInstance" | "elasticityAssurance" | "emrCluster";

/** `status` is as the family's Describe call shows it (Available, Active, RUNNING…). */
export interface FamilyRecord extends SubscriptionTerms {
  kind: FamilyKind;
  id: string;
  /** Dedicated hosts may be Pay-As-You-Go; the other families are subscriptions only. */
  chargeType: "PrePaid" | "PostPaid";
  /** Dedicated hosts: renew along with the subscription instances on the host. */
  autoRenewWithEcs?: "AutoRenewWithEcs" | "StopRenewWithEcs";
  /** EMR clusters: the ids of the cluster's ECS instances. */
  nodes?: string[];
}

export interface FamilyRules {
  /** The fleet file's key for the list, and the id field of each entry. */
  fleetKey: "dedicatedHosts" | "reservedInstances" | "elasticityAssurances" | "emrClusters";
  idField: "dedicatedHostId" | "reservedInstanceId" | "elasticityAssuranceId" | "clusterId";
  idPattern: RegExp;
  /** The status a live one shows, and the one an expired one shows (undefined: unchanged, only locked). */
  activeStatus: string;
  expiredStatus?: string;
  renewalStatuses: readonly RenewalStatus[];
}

export const FAMILIES: Record<FamilyKind, FamilyRules> = {
  dedicatedHost: { fleetKey: "dedicatedHosts", idField: "dedicatedHostId", idPattern: /^dh-[0-9a-z]{4,}$/, activeStatus: "Available", renewalStatuses: ["AutoRenewal", "Normal", "NotRenewal"] },
  reservedInstance: { fleetKey: "reservedInstances", idField: "reservedInstanceId", idPattern: /^ecsri-[0-9a-z]{4,}$/, activeStatus: "Active", expiredStatus: "Expired", renewalStatuses: ["AutoRenewal", "Normal"] },
  elasticityAssurance: { fleetKey: "elasticityAssurances", idField: "elasticityAssuranceId", idPattern: /^eap-[0-9a-z]{4,}$/, activeStatus: "Active", renewalStatuses: ["AutoRenewal", "Normal", "NotRenewal"] },
  emrCluster: { fleetKey: "emrClusters", idField: "clusterId", idPattern: /^c-[0-9a-z]{4,}$/, activeStatus: "RUNNING", renewalStatuses: ["AutoRenewal", "Normal"] },
};

export const FAMILY_KINDS = Object.keys(FAMILIES) as FamilyKind[];

/** A fleet entry of a family: its id field plus the lifecycle fields instances have. */
export type FleetFamilyEntry = { [field: string]: unknown } & {
  regionId?: string;
  chargeType?: "PrePaid" | "PostPaid";
  status?: string;
  expiredTime?: string;
  expiresInDays?: number;
  renewalStatus?: RenewalStatus;
  duration?: number;
  periodUnit?: PeriodUnit;
  monthlyPrice?: number;
  lockReasons?: string[];
  autoRenewWithEcs?: "AutoRenewWithEcs" | "StopRenewWithEcs";
  nodes?: string[];
};

/** A fleet entry (or a partial record, `existing` filling the rest) as a full record; a bad entry throws naming it. */
export function toFamilyRecord(kind: FamilyKind, input: FleetFamilyEntry, now: number, existing?: FamilyRecord): FamilyRecord {
  const rules = FAMILIES[kind];
  const id = input[rules.idField] ?? input.id;
  if (typeof id !== "string" || !rules.idPattern.test(id)) throw new Error(`${rules.fleetKey}: ${rules.idField} ${JSON.stringify(id)} does not look like ${rules.idPattern}`);
  const bad = (field: string, why: string) => new Error(`${rules.fleetKey} ${id}: ${field} ${why}`);
  const chargeType = input.chargeType ?? existing?.chargeType ?? "PrePaid";
  if (!["PrePaid", "PostPaid"].includes(chargeType)) throw bad("chargeType", "must be PrePaid or PostPaid");
  if (chargeType === "PostPaid" && kind !== "dedicatedHost" && kind !== "emrCluster") throw bad("chargeType", "PostPaid: only dedicated hosts and EMR clusters are Pay-As-You-Go");
  if (input.expiredTime !== undefined && Number.isNaN(parseTime(input.expiredTime))) throw bad("expiredTime", "must be yyyy-MM-ddTHH:mmZ");
  if (input.expiresInDays !== undefined && !Number.isFinite(input.expiresInDays)) throw bad("expiresInDays", "is not a number");
  const renewalStatus = input.renewalStatus ?? existing?.renewalStatus ?? "Normal";
  if (!rules.renewalStatuses.includes(renewalStatus)) throw bad("renewalStatus", `must be one of ${rules.renewalStatuses.join(", ")}`);
  const periodUnit = input.periodUnit ?? existing?.periodUnit ?? "Month";
  if (!["Month", "Year", "Week"].includes(periodUnit)) throw bad("periodUnit", "must be Month, Year or Week");
  const duration = input.duration ?? (existing?.duration || (renewalStatus === "AutoRenewal" ? 1 : 0));
  if (!Number.isInteger(duration) || duration < 0 || (renewalStatus === "AutoRenewal" && duration < 1)) throw bad("duration", "must be a whole number (>= 1 with AutoRenewal)");
  const monthlyPrice = input.monthlyPrice ?? existing?.monthlyPrice ?? 100;
  if (!Number.isFinite(monthlyPrice) || monthlyPrice < 0) throw bad("monthlyPrice", "must be a number >= 0");
  const nodes = input.nodes ?? existing?.nodes;
  if (kind === "emrCluster" && nodes !== undefined && !(Array.isArray(nodes) && nodes.every((n) => typeof n === "string" && /^i-[0-9a-z]{4,}$/.test(n)))) throw bad("nodes", "must be a list of ECS instance ids");
  const autoRenewWithEcs = input.autoRenewWithEcs ?? existing?.autoRenewWithEcs;
  if (autoRenewWithEcs !== undefined && (kind !== "dedicatedHost" || !["AutoRenewWithEcs", "StopRenewWithEcs"].includes(autoRenewWithEcs))) throw bad("autoRenewWithEcs", "is AutoRenewWithEcs or StopRenewWithEcs, for dedicated hosts only");
  const expiredTime = input.expiredTime ?? (input.expiresInDays !== undefined ? formatTime(now + input.expiresInDays * DAY) : existing?.expiredTime ?? formatTime(now + 30 * DAY));
  return {
    kind,
    id,
    regionId: input.regionId ?? existing?.regionId ?? "cn-hangzhou",
    chargeType,
    status: input.status ?? existing?.status ?? rules.activeStatus,
    expiredTime: chargeType === "PostPaid" ? "2999-09-08T16:00Z" : expiredTime,
    renewalStatus,
    duration,
    periodUnit,
    monthlyPrice,
    lockReasons: [...(input.lockReasons ?? existing?.lockReasons ?? [])],
    ...(kind === "dedicatedHost" ? { autoRenewWithEcs: autoRenewWithEcs ?? "StopRenewWithEcs" } : {}),
    ...(kind === "emrCluster" ? { nodes: [...(nodes ?? [])] } : {}),
  };
}

/** The family a subscription id belongs to, by its prefix. */
export function kindOfId(id: string): FamilyKind | undefined {
  return FAMILY_KINDS.find((k) => FAMILIES[k].idPattern.test(id));
}
