// What every auto-renew settings resource class shares: the serialized shim for its controller kind, the
// type token `pulumi-nodejs:dynamic/alicloud-renewal:<Kind>`, and the outputs every family reports.

import * as pulumi from "@pulumi/pulumi";
import { shimProvider, withShim } from "../shim";
import type { PreviousSettings } from "./controller";

// One provider object per kind and process: the SDK serializes what it is given once and caches it.
const providers = new Map<string, pulumi.dynamic.ResourceProvider>();

/** The outputs every family's settings resource reports, beside its inputs. */
const COMMON_OUTPUTS = ["autoRenewEnabled", "expiredTime", "status", "nextAutoRenewDeduction", "previous", "warning"];

export abstract class SettingsResource extends pulumi.dynamic.Resource {
  declare readonly regionId: pulumi.Output<string>;
  declare readonly renewalStatus: pulumi.Output<string>;
  declare readonly duration: pulumi.Output<number>;
  declare readonly periodUnit: pulumi.Output<string>;
  declare readonly onDelete: pulumi.Output<string>;
  declare readonly autoRenewEnabled: pulumi.Output<boolean>;
  /** `yyyy-MM-ddTHH:mmZ`, UTC, as the API reports it. */
  declare readonly expiredTime: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  /** ISO time of the next auto-renew deduction (9 days before expiry at 08:00 UTC+8), where the family documents one. */
  declare readonly nextAutoRenewDeduction: pulumi.Output<string | undefined>;
  /** The settings found when this resource was created. */
  declare readonly previous: pulumi.Output<PreviousSettings>;
  /** Set when auto-renew alone may not renew it before it expires, or when it became Pay-As-You-Go. */
  declare readonly warning: pulumi.Output<string | undefined>;

  /** `kind` is the controller name its shim stores in state; `outputs` the family's own outputs beside the common ones. */
  protected constructor(kind: string, name: string, args: object, outputs: string[], opts?: pulumi.CustomResourceOptions) {
    let provider = providers.get(kind);
    if (!provider) {
      provider = shimProvider(kind);
      providers.set(kind, provider);
    }
    const unset = Object.fromEntries([...COMMON_OUTPUTS, ...outputs].map((k) => [k, undefined]));
    super(provider, name, { ...args, ...unset }, withShim(opts, `pulumi-nodejs:dynamic/alicloud-renewal:${kind}`, kind), "alicloud-renewal", kind);
  }
}

/** The inputs every family's settings resource takes, beside its id. */
export interface SettingsArgs<Status extends string, Unit extends string, OnDelete extends string> {
  /** Defaults to stack config `alicloud:region`, then `ALIBABA_CLOUD_REGION_ID` / `ALICLOUD_REGION`. */
  regionId?: pulumi.Input<string>;
  /** `AutoRenewal` (default), `Normal` (renew manually), or, where the family has it, `NotRenewal` (let it expire). */
  renewalStatus?: pulumi.Input<Status>;
  /** Auto-renew period length, default 1; check refuses what the family's write call does not take on the account's site. */
  duration?: pulumi.Input<number>;
  /** Unit of `duration`, default `Month`. */
  periodUnit?: pulumi.Input<Unit>;
  /**
   * What deleting this resource does: `restore` (default) puts back the settings found at create; a status
   * sets that. Use Pulumi's `retainOnDelete` to leave the settings as they are.
   */
  onDelete?: pulumi.Input<OnDelete>;
}
