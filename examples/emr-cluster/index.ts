// A whole E-MapReduce cluster kept from lapsing: its EMR service fee and every ECS node, on one auto-renew
// duration, the nodes' expiries aligned on one day of the month (the account's unified expiration day), so
// the cluster never runs with half its nodes, or its fee, expired.
//
// - The fee: EmrClusterRenewal (EMR 2021-03-20 GetCluster / UpdateClusterAutoRenew).
// - The nodes, found by the tag EMR sets on them (acs:emr:clusterId): an InstanceRenewal each, on the same
//   duration, and a ManualRenewal each that renews it once to the unified expiration day (re-runs order
//   nothing).

import * as pulumi from "@pulumi/pulumi";
import { EmrClusterRenewal, getExpiringInstances, InstanceRenewal, ManualRenewal } from "pulumi-alicloud-renewal";

const config = new pulumi.Config();
const clusterId = config.require("clusterId");
const months = config.getNumber("autoRenewMonths") ?? 1;
const expiryDay = config.getNumber("expiryDay") ?? 1;

export = async () => {
  const fee = new EmrClusterRenewal(`${clusterId}-fee`, { clusterId, renewalStatus: "AutoRenewal", duration: months, periodUnit: "Month" });
  const nodes = await getExpiringInstances({ withinDays: Infinity, includeExpired: true, tags: { "acs:emr:clusterId": clusterId } });
  const aligned = nodes.map((node) => {
    new InstanceRenewal(`${node.instanceId}-auto-renew`, { instanceId: node.instanceId, regionId: node.regionId, duration: months, periodUnit: "Month" });
    // One order per node that aligns its expiry on the cluster's day; re-runs order nothing.
    return new ManualRenewal(`${node.instanceId}-align`, { instanceId: node.instanceId, regionId: node.regionId, expectedRenewDay: expiryDay, renewalKey: `align-day-${expiryDay}` });
  });
  return {
    clusterId,
    fee: { expiredTime: fee.expiredTime, renewalStatus: fee.renewalStatus, duration: fee.duration, nextAutoRenewDeduction: fee.nextAutoRenewDeduction },
    nodes: nodes.map((n, k) => ({ id: n.instanceId, expiredTime: aligned[k].expiredTime })),
  };
};
