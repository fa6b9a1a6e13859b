// E-MapReduce 2021-03-20, served by the same server and gateway as ECS (dispatched by x-acs-version): the
// cluster's subscription fee as GetCluster shows it and UpdateClusterAutoRenew sets it, together with the
// auto-renewal of the cluster's ECS nodes. Sources: README.md, "E-MapReduce".
import type { Action } from "../actions/common";
import { getCluster } from "./get-cluster";
import { listClusters } from "./list-clusters";
import { updateClusterAutoRenew } from "./update-cluster-auto-renew";

export const EMR_VERSION = "2021-03-20";

export const EMR_ACTIONS: Record<string, Action> = {
  GetCluster: getCluster,
  ListClusters: listClusters,
  UpdateClusterAutoRenew: updateClusterAutoRenew,
};
