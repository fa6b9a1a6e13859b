// getExpiringInstances for Pulumi programs: credentials and region from the same stack config keys the
// provider uses, read in the program process and never put into any resource.

import * as pulumi from "@pulumi/pulumi";
import { EcsApi } from "../ecs/client";
import { resolveSettings } from "../settings";
import { findExpiringInstances, type ExpiringInstance } from "./expiring";

export interface GetExpiringInstancesArgs {
  /** Defaults to stack config `alicloud:region`, then `ALIBABA_CLOUD_REGION_ID` / `ALICLOUD_REGION`. */
  regionId?: string;
  /** Default 15 days; `Infinity` lists every subscription instance. */
  withinDays?: number;
  /** Default true: include expired instances that are not released yet. */
  includeExpired?: boolean;
  /** Only instances with all of these tags. */
  tags?: Record<string, string>;
}

/** Subscription instances by expiry, joined with their auto-renew settings. */
export async function getExpiringInstances(args: GetExpiringInstancesArgs = {}): Promise<ExpiringInstance[]> {
  // The raw reader: pulumi.Config.get would warn about reading a secret in plain text, which here
  // only ever reaches the SDK's request signer.
  const settings = resolveSettings((key) => pulumi.runtime.getConfig(key));
  const regionId = args.regionId ?? settings.region;
  if (!regionId) throw new Error("getExpiringInstances: no region; pass regionId or set stack config alicloud:region.");
  return findExpiringInstances(new EcsApi(settings), { ...args, regionId });
}
