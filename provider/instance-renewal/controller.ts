// InstanceRenewal's behaviour: the settings controller (renewal-settings/controller.ts) with the instance
// family (families/instance.ts). Its outputs keep the names and format state has always stored.

import type { ProviderContext } from "../context";
import { INSTANCE } from "../families/instance";
import { SettingsController, type PreviousSettings } from "../renewal-settings/controller";
import type { InstanceRenewalInputs } from "./schema";

export type { PreviousSettings };

export interface InstanceRenewalOutputs extends InstanceRenewalInputs {
  autoRenewEnabled: boolean;
  expiredTime: string;
  instanceChargeType: string;
  status: string;
  /** ISO time of the next auto-renew deduction attempt; absent unless auto-renewing in time. */
  nextAutoRenewDeduction?: string;
  /** The settings found at create; `onDelete: "restore"` puts them back. */
  previous: PreviousSettings;
  /** Set when auto-renew alone may not save the instance. */
  warning?: string;
}

export class InstanceRenewalController extends SettingsController {
  constructor(context: () => ProviderContext) {
    super(INSTANCE, context);
  }
}
