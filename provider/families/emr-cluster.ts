// The E-MapReduce cluster fee (`c-…`), EMR 2021-03-20: GetCluster reads the fee's expiry and its
// SubscriptionConfig (AutoRenew, AutoRenewDuration, AutoRenewDurationUnit); UpdateClusterAutoRenew writes it.
// One cluster per call. EMR 2021-03-20 has no renewal operation: no one-shot renewal for the fee here.

import { formatEcsTime } from "../ecs/expiry";
import type { EmrApi } from "../emr/client";
import type { Clients, SubscriptionFamily } from "./family";
import { readUnit } from "./read";

function emr(c: Clients): EmrApi {
  if (!c.emr) throw new Error("pulumi-alicloud-renewal: no EMR client was given for an EMR cluster; this is a bug, please report it.");
  return c.emr;
}

const DURATIONS = { Month: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36], Year: [1, 2, 3] } as const;

export const EMR_CLUSTER: SubscriptionFamily = {
  kind: "emrCluster",
  resource: "EmrClusterRenewal",
  idInput: "clusterId",
  noun: "EMR cluster",
  product: "EMR",
  id: { pattern: /^c-[0-9a-z]{4,}$/, prefix: "c-", example: "c-b933c5aac8fe", what: "an E-MapReduce cluster id" },
  settings: {
    read: "GetCluster",
    write: "UpdateClusterAutoRenew",
    describe: "GetCluster",
    statuses: ["AutoRenewal", "Normal"],
    durations: { china: DURATIONS, international: DURATIONS },
    units: ["Month", "Year"],
    batch: { read: 1, write: 1, describe: 1 },
  },
  api: {
    async describe(c, regionId, ids) {
      const found = await Promise.all(ids.map((id) => emr(c).getCluster(regionId, id)));
      return found.flatMap((cl) =>
        cl ? [{ id: cl.clusterId, regionId: cl.regionId, expiredTime: cl.expireTime !== undefined ? formatEcsTime(new Date(cl.expireTime)) : undefined, chargeType: cl.paymentType === "Subscription" ? "PrePaid" : "PostPaid", status: cl.clusterState, lockReasons: [], tags: {} }] : [],
      );
    },
    async list(c, regionId) {
      const found = await emr(c).listClusters(regionId);
      return found.map((cl) => ({ id: cl.clusterId, regionId: cl.regionId, expiredTime: cl.expireTime !== undefined ? formatEcsTime(new Date(cl.expireTime)) : undefined, chargeType: "PrePaid", status: cl.clusterState, lockReasons: [], tags: {} }));
    },
    async readSettings(c, regionId, ids) {
      const found = await Promise.all(ids.map((id) => emr(c).getCluster(regionId, id)));
      return found.flatMap((cl) =>
        cl && cl.paymentType === "Subscription"
          ? [{ id: cl.clusterId, autoRenewEnabled: cl.autoRenew, renewalStatus: cl.autoRenew ? ("AutoRenewal" as const) : ("Normal" as const), duration: cl.autoRenew ? cl.autoRenewDuration : 0, periodUnit: readUnit(cl.autoRenewDurationUnit) }]
          : [],
      );
    },
    async writeSettings(c, regionId, ids, s) {
      for (const id of ids) await emr(c).updateClusterAutoRenew(regionId, id, { autoRenew: s.renewalStatus === "AutoRenewal", duration: s.duration, unit: s.periodUnit as "Month" | "Year" | undefined });
    },
  },
};
