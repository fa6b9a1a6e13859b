// DescribeInstanceAttribute: one instance by id, any region. Unlike DescribeInstances it fails loudly: a
// released or unknown instance is 404 InvalidInstanceId.NotFound, a key without the permission Forbidden.RAM.
import { instanceIn, singleId, type Action } from "./common";
import { instanceView } from "./describe-instances";

export const describeInstanceAttribute: Action = (ctx) => instanceView(instanceIn(ctx, undefined, singleId(ctx)));
