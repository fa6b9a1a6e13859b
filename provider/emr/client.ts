// E-MapReduce 2021-03-20 through @alicloud/openapi-core's generic client (no npm SDK exists for it): the same
// signing, credentials, endpoint override, bounded concurrency, retries and error mapping as the ECS client.
// Only the calls this project makes: GetCluster (the cluster fee's expiry and auto-renew settings),
// UpdateClusterAutoRenew, and ListClusters for the report.

import { ApiClient, openApiConfig } from "../ecs/client";
import { RenewalError, retryableForIdempotentCall } from "../ecs/errors";
import { describeEcsError } from "../ecs/errors";
import { Semaphore } from "../ecs/retry";

export const EMR_VERSION = "2021-03-20";

export interface EmrCluster {
  clusterId: string;
  regionId: string;
  /** "Subscription" or "PayAsYouGo". */
  paymentType: string;
  clusterState: string;
  /** The fee's expiry, Unix milliseconds; absent for Pay-As-You-Go. */
  expireTime?: number;
  autoRenew: boolean;
  autoRenewDuration: number;
  autoRenewDurationUnit: string;
}

export interface ClusterAutoRenew {
  autoRenew: boolean;
  duration?: number;
  unit?: "Month" | "Year";
}

type OpenApiModule = typeof import("@alicloud/openapi-core");
type OpenApiClient = InstanceType<OpenApiModule["default"]>;

/** Not-found codes EMR may answer for a cluster that is gone (the emulator answers NotFound.Cluster). */
const CLUSTER_GONE = /^(NotFound\.Cluster|InvalidParameter\.ClusterId|ClusterNotFound)/;

export class EmrApi extends ApiClient {
  private readonly clients = new Map<string, { client: OpenApiClient; gate: Semaphore }>();

  private clientFor(regionId: string): { client: OpenApiClient; gate: Semaphore } {
    let entry = this.clients.get(regionId);
    if (!entry) {
      const core = require("@alicloud/openapi-core") as OpenApiModule;
      const config = openApiConfig(this.settings, regionId, this.settings.emrEndpoint ?? `emr.${regionId}.aliyuncs.com`);
      entry = { client: new core.default(config), gate: new Semaphore(this.options.concurrency || 10) };
      this.clients.set(regionId, entry);
    }
    return entry;
  }

  /** One RPC call: action, query parameters (lists flattened as `Name.1.Field`), the JSON body back. */
  private async rpc(action: string, regionId: string, ids: string[], query: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { client, gate } = this.clientFor(regionId);
    const { $OpenApiUtil, OpenApiUtil } = require("@alicloud/openapi-core") as OpenApiModule;
    const params = new $OpenApiUtil.Params({ action, version: EMR_VERSION, protocol: "HTTPS", pathname: "/", method: "POST", authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "json" });
    const ctx = { action, regionId, instanceIds: ids, service: "EMR", noun: "EMR cluster" };
    const res = await this.run(
      gate,
      ctx,
      (runtime) => client.callApi(params, new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query({ RegionId: regionId, ...query }) }), runtime as never),
      retryableForIdempotentCall,
      describeEcsError,
    );
    return (res.body ?? {}) as Record<string, unknown>;
  }

  /** The cluster and its fee's renewal settings, or undefined when EMR says it does not exist in the region. */
  async getCluster(regionId: string, clusterId: string): Promise<EmrCluster | undefined> {
    let body: Record<string, unknown>;
    try {
      body = await this.rpc("GetCluster", regionId, [clusterId], { ClusterId: clusterId });
    } catch (error) {
      if (error instanceof RenewalError && CLUSTER_GONE.test(error.code ?? "")) return undefined;
      throw error;
    }
    const c = (body.Cluster ?? {}) as Record<string, unknown>;
    const sub = (c.SubscriptionConfig ?? {}) as Record<string, unknown>;
    if (typeof c.ClusterId !== "string") return undefined;
    return {
      clusterId: c.ClusterId,
      regionId: typeof c.RegionId === "string" ? c.RegionId : regionId,
      paymentType: typeof c.PaymentType === "string" ? c.PaymentType : "PayAsYouGo",
      clusterState: typeof c.ClusterState === "string" ? c.ClusterState : "Unknown",
      ...(typeof c.ExpireTime === "number" ? { expireTime: c.ExpireTime } : {}),
      autoRenew: sub.AutoRenew === true,
      autoRenewDuration: typeof sub.AutoRenewDuration === "number" ? sub.AutoRenewDuration : 0,
      autoRenewDurationUnit: typeof sub.AutoRenewDurationUnit === "string" ? sub.AutoRenewDurationUnit : "Month",
    };
  }

  /** Every subscription cluster in the region (ListClusters, PaymentTypes Subscription; NextToken pages followed). */
  async listClusters(regionId: string): Promise<Array<{ clusterId: string; regionId: string; clusterState: string; expireTime?: number }>> {
    const out: Array<{ clusterId: string; regionId: string; clusterState: string; expireTime?: number }> = [];
    let nextToken: string | undefined;
    do {
      const body = await this.rpc("ListClusters", regionId, [], { PaymentTypes: ["Subscription"], MaxResults: 100, ...(nextToken ? { NextToken: nextToken } : {}) });
      for (const c of (body.Clusters ?? []) as Array<Record<string, unknown>>) {
        if (typeof c.ClusterId !== "string") continue;
        out.push({ clusterId: c.ClusterId, regionId: typeof c.RegionId === "string" ? c.RegionId : regionId, clusterState: String(c.ClusterState ?? "Unknown"), ...(typeof c.ExpireTime === "number" ? { expireTime: c.ExpireTime } : {}) });
      }
      nextToken = typeof body.NextToken === "string" && body.NextToken ? body.NextToken : undefined;
    } while (nextToken);
    return out;
  }

  /** The fee's auto-renewal only: the nodes' settings are left to their own (ECS) resources. */
  async updateClusterAutoRenew(regionId: string, clusterId: string, s: ClusterAutoRenew): Promise<void> {
    await this.rpc("UpdateClusterAutoRenew", regionId, [clusterId], {
      ClusterId: clusterId,
      ClusterAutoRenew: s.autoRenew,
      ...(s.autoRenew ? { ClusterAutoRenewDuration: s.duration, ClusterAutoRenewDurationUnit: s.unit } : {}),
    });
  }
}
