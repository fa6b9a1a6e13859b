// DescribeInstanceAttribute: one instance by id, any region.
import { missing } from "../errors";
import { instanceIn, type Action } from "./common";
import { instanceView } from "./describe-instances";

export const describeInstanceAttribute: Action = (ctx) => {
  const id = ctx.params.get("InstanceId");
  if (!id) throw missing("InstanceId", 403);
  ctx.instanceIds = [id];
  return instanceView(instanceIn(ctx, undefined, id));
};
