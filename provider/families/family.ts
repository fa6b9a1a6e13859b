// What every subscription family is described by: its id, its auto-renew settings (read, write, value sets
// per site, batch limits), its one-shot renewal (if the API has one) and how to reach it. One settings
// controller and one renew-once controller take a description; each family is one small file beside this.

import type { EcsApi } from "../ecs/client";
import type { Site } from "../ecs/value-sets";
import type { EmrApi } from "../emr/client";

/** The product clients a family's calls go through (credentials, endpoints, retries, error mapping). */
export interface Clients {
  api: EcsApi;
  /** Absent where only ECS is read (the expiring-instances query of earlier releases). */
  emr?: EmrApi;
}

export type FamilyKind = "instance" | "dedicatedHost" | "reservedInstance" | "elasticityAssurance" | "emrCluster";
export type RenewalStatus = "AutoRenewal" | "Normal" | "NotRenewal";
export type PeriodUnit = "Month" | "Year" | "Week";
export type ValueSets = Record<Site, Partial<Record<PeriodUnit, readonly number[]>>>;

/** What a family's read reports about one subscription, whatever the family. */
export interface SubscriptionInfo {
  id: string;
  regionId: string;
  /** `yyyy-MM-ddTHH:mmZ`, UTC. */
  expiredTime?: string;
  /** "PrePaid" or "PostPaid", in this project's spelling whatever the API's. */
  chargeType: string;
  status: string;
  lockReasons: string[];
  tags: Record<string, string>;
  /** Instances: the dedicated host they run on, which they may not outlive. */
  dedicatedHostId?: string;
}

/** A subscription's auto-renew settings as its family's read reports them. */
export interface SettingsAttribute {
  id: string;
  autoRenewEnabled: boolean;
  renewalStatus: RenewalStatus;
  duration: number;
  periodUnit: PeriodUnit;
  /** Dedicated hosts: whether the host renews along with the instances on it. */
  autoRenewWithEcs?: string;
}

/** The settings a write asks for; extras only when the user declared them. */
export interface DesiredSettings {
  renewalStatus: RenewalStatus;
  duration?: number;
  periodUnit?: PeriodUnit;
  autoRenewWithEcs?: string;
}

/** One renewal order of one subscription. */
export interface RenewOrder {
  id: string;
  period?: number;
  periodUnit?: PeriodUnit;
  expectedRenewDay?: number;
  clientToken: string;
}

/** The calls a family makes, in its API's terms, through the product clients. */
export interface FamilyApi {
  describe(clients: Clients, regionId: string, ids: string[]): Promise<SubscriptionInfo[]>;
  /** Every subscription of the family in the region (the report's row source); instances have their own query. */
  list?(clients: Clients, regionId: string): Promise<SubscriptionInfo[]>;
  readSettings(clients: Clients, regionId: string, ids: string[]): Promise<SettingsAttribute[]>;
  writeSettings(clients: Clients, regionId: string, ids: string[], settings: DesiredSettings): Promise<void>;
  renew?(clients: Clients, regionId: string, order: RenewOrder, retryable: (error: unknown) => { retry: boolean; minDelayMs?: number; timing?: boolean }): Promise<{ orderId: string }>;
}

/** An input beside the common ones, with its allowed values (dedicated hosts' autoRenewWithEcs). */
export interface ExtraInput {
  name: "autoRenewWithEcs";
  values: readonly string[];
  describe: string;
}

export interface SubscriptionFamily {
  kind: FamilyKind;
  /** The resource class that manages its auto-renew settings. */
  resource: string;
  /** The id input of the resource and of ManualRenewal. */
  idInput: string;
  /** "instance", "dedicated host": what messages call one. */
  noun: string;
  /** Which product's API it is ("ECS", "EMR"), for messages and RAM actions. */
  product: "ECS" | "EMR";
  id: { pattern: RegExp; prefix: string; example: string; what: string };
  settings: {
    read: string;
    write: string;
    describe: string;
    statuses: readonly RenewalStatus[];
    /** The write's Duration per PeriodUnit, per site; units in the order messages list them. */
    durations: ValueSets;
    units: readonly PeriodUnit[];
    /** Ids per call, as each call's reference documents. */
    batch: { read: number; write: number; describe: number };
    /** Auto-renew's documented first deduction, days before expiry at 08:00 UTC+8; undefined where undocumented. */
    deductionLeadDays?: number;
    /** Only a subscription in this status may have its settings changed. */
    activeStatus?: string;
    extras?: readonly ExtraInput[];
  };
  renewal?: {
    action: string;
    /** The order's Period per PeriodUnit, per site. */
    periods: ValueSets;
    units: readonly PeriodUnit[];
    /** DescribeRenewalPrice prices only ECS instances. */
    priceable: boolean;
  };
  api: FamilyApi;
}

/** "instance i-abc", "dedicated host dh-abc". */
export const named = (family: SubscriptionFamily, id: string): string => `${family.noun} ${id}`;

export const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** "AutoRenewal every 3 Months", "Normal". */
export function describeSettings(s: { renewalStatus: string; duration?: number; periodUnit?: string }): string {
  return s.renewalStatus === "AutoRenewal" ? `AutoRenewal every ${s.duration} ${s.periodUnit}${s.duration === 1 ? "" : "s"}` : s.renewalStatus;
}
