// Inputs of InstanceRenewal: the settings schema (renewal-settings/schema.ts) with the instance family.

import { INSTANCE } from "../families/instance";
import { checkSettings, type CheckContext } from "../renewal-settings/schema";
import type { CheckFailure } from "../schema-parts";

export interface InstanceRenewalInputs {
  instanceId: string;
  regionId: string;
  renewalStatus: "AutoRenewal" | "Normal" | "NotRenewal";
  duration: number;
  periodUnit: "Month" | "Year" | "Week";
  onDelete: "restore" | "Normal" | "NotRenewal";
}

export function checkInstanceRenewal(news: Record<string, unknown>, context: CheckContext): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  return checkSettings(INSTANCE, news, context);
}
