// The ECS nodes of one E-MapReduce cluster, found by the tag EMR puts on them, kept on one auto-renew
// duration and aligned on one expiry day of the month (the unified expiry date), so the cluster never
// runs with half its nodes expired.
//
// The EMR service fee is renewed through E-MapReduce (console: Cluster > Fees > Renew), which the ECS API
// does not cover: this stack renews only the ECS part.

import * as pulumi from "@pulumi/pulumi";
import { getExpiringInstances, InstanceRenewal, ManualRenewal } from "pulumi-alicloud-renewal";

const config = new pulumi.Config();
const clusterId = config.require("clusterId");
const months = config.getNumber("autoRenewMonths") ?? 1;
const expiryDay = config.getNumber("expiryDay") ?? 1;

export = async () => {
  const nodes = await getExpiringInstances({ withinDays: Infinity, includeExpired: true, tags: { "acs:emr:clusterId": clusterId } });
  for (const node of nodes) {
    new InstanceRenewal(`${node.instanceId}-auto-renew`, { instanceId: node.instanceId, regionId: node.regionId, duration: months, periodUnit: "Month" });
    // One order per node that aligns its expiry on the cluster's day; re-runs order nothing.
    new ManualRenewal(`${node.instanceId}-align`, { instanceId: node.instanceId, regionId: node.regionId, expectedRenewDay: expiryDay, renewalKey: `align-day-${expiryDay}` });
  }
  return { clusterId, nodes: nodes.map((n) => ({ id: n.instanceId, expiredTime: n.expiredTime, daysLeft: n.daysLeft })) };
};
