// GetCluster: the cluster's details; for a subscription cluster its fee's ExpireTime (Unix ms) and
// SubscriptionConfig (AutoRenew, AutoRenewDuration, AutoRenewDurationUnit): the documented read of the
// fee's renewal settings.
import type { Action } from "../actions/common";
import { parseTime } from "../state";
import { clusterIn } from "./cluster";

export const getCluster: Action = (ctx) => {
  const c = clusterIn(ctx);
  const subscription = c.chargeType === "PrePaid";
  return {
    Cluster: {
      ClusterId: c.id,
      ClusterName: c.id,
      ClusterType: "DATALAKE",
      ClusterState: c.status,
      RegionId: c.regionId,
      PaymentType: subscription ? "Subscription" : "PayAsYouGo",
      ReleaseVersion: "EMR-5.10.0",
      ...(subscription
        ? {
            ExpireTime: parseTime(c.expiredTime),
            SubscriptionConfig: {
              PaymentDurationUnit: "Month",
              PaymentDuration: 1,
              AutoRenew: c.renewalStatus === "AutoRenewal",
              AutoRenewDurationUnit: c.periodUnit,
              AutoRenewDuration: c.renewalStatus === "AutoRenewal" ? c.duration : 0,
            },
          }
        : {}),
    },
  };
};
