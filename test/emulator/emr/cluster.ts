// What both EMR actions need: the cluster named by ClusterId, or the error EMR answers.
import { ApiError, missing } from "../errors";
import { regionOf, type ActionContext } from "../actions/common";
import type { FamilyRecord } from "../families";

export const clusterNotFound = () => new ApiError(404, "NotFound.Cluster", "The specified cluster does not exist.");

export function clusterIn(ctx: ActionContext): FamilyRecord {
  const region = regionOf(ctx);
  const id = ctx.params.get("ClusterId");
  if (!id) throw missing("ClusterId");
  ctx.instanceIds = [id];
  const cluster = ctx.state.familyRecord(id, "emrCluster");
  if (!cluster || cluster.regionId !== region) throw clusterNotFound();
  return cluster;
}
