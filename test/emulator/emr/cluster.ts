// What both EMR actions need: the cluster named by ClusterId, or the error EMR answers.
import { ApiError, missing } from "../errors";
import { regionOf, type ActionContext } from "../actions/common";
import type { SubscriptionRecord } from "../subscriptions";

export const clusterNotFound = () => new ApiError(404, "NotFound.Cluster", "The specified cluster does not exist.");

export function clusterIn(ctx: ActionContext): SubscriptionRecord {
  const region = regionOf(ctx);
  const id = ctx.params.get("ClusterId");
  if (!id) throw missing("ClusterId");
  ctx.instanceIds = [id];
  const cluster = ctx.state.subscription(id, "emrCluster");
  if (!cluster || cluster.regionId !== region) throw clusterNotFound();
  return cluster;
}
