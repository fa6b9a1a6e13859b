// getExpiringInstances for Pulumi programs: credentials and region from the same stack config keys the
// provider uses, read in the program process and never put into any resource.

import * as pulumi from "@pulumi/pulumi";
import { BssApi } from "../bss/client";
import { EcsApi } from "../ecs/client";
import { EmrApi } from "../emr/client";
import { resolveSettings } from "../settings";
import { findExpiringInstances, type KindSelection, type ProductSelection, type Subscription } from "./expiring";

export interface GetExpiringInstancesArgs {
  /** Defaults to stack config `alicloud:region`, then `ALIBABA_CLOUD_REGION_ID` / `ALICLOUD_REGION`. */
  regionId?: string;
  /** Every region the account has (DescribeRegions) instead of one. */
  allRegions?: boolean;
  /** Default 15 days; `Infinity` lists every subscription. */
  withinDays?: number;
  /** Default true: include expired subscriptions that are not released yet. */
  includeExpired?: boolean;
  /** Only ECS instances with all of these tags. */
  tags?: Record<string, string>;
  /**
   * Default `["ecs"]`: ECS instances, with their auto-renew settings. BSS product codes (`"rds"`, `"slb"`…) or
   * `"all"` add the account's other subscriptions from the billing API (RAM action bss:DescribeInstances;
   * endpoint override: stack config `alicloud-renewal:bssEndpoint` or `ALIBABA_CLOUD_BSS_ENDPOINT`).
   */
  products?: ProductSelection;
  /**
   * Default `["instance"]`. Add `"dedicatedHost"`, `"reservedInstance"`, `"elasticityAssurance"`, `"emrCluster"`
   * (or give `"all"`) to list those subscriptions too, each with its auto-renew settings (their RAM actions:
   * the family's Describe calls; emr:ListClusters and emr:GetCluster for EMR).
   */
  kinds?: KindSelection;
}

/** Subscriptions by expiry, each with its product, kind, renewal settings and whether it lapses unless someone acts. */
export async function getExpiringInstances(args: GetExpiringInstancesArgs = {}): Promise<Subscription[]> {
  // The raw reader: pulumi.Config.get would warn about reading a secret in plain text, which here
  // only ever reaches the SDK's request signer.
  const settings = resolveSettings((key) => pulumi.runtime.getConfig(key));
  const regionId = args.regionId ?? settings.region;
  if (!regionId && !args.allRegions) throw new Error("getExpiringInstances: no region; pass regionId (or allRegions: true) or set stack config alicloud:region.");
  const { withinDays, includeExpired, tags, products, kinds } = args;
  const regions = args.allRegions ? "all" : [regionId!];
  return findExpiringInstances({ ecs: new EcsApi(settings), bss: new BssApi(settings), emr: new EmrApi(settings) }, { regions, withinDays, includeExpired, tags, products, kinds });
}
