import { ApiError } from "../errors";
import { parseTime, type InstanceRecord } from "../state";
import { INSTANCE_ID, intParam, regionOf, type Action, type ActionContext } from "./common";

/** Instance as DescribeInstances / DescribeInstanceAttribute show it. */
export function instanceView(i: InstanceRecord): Record<string, unknown> {
  return {
    InstanceId: i.instanceId,
    InstanceName: i.instanceId,
    RegionId: i.regionId,
    ZoneId: `${i.regionId}-k`,
    ExpiredTime: i.expiredTime,
    InstanceChargeType: i.instanceChargeType,
    Status: i.status,
    OperationLocks: { LockReason: i.lockReasons.map((r) => ({ LockReason: r })) },
    Tags: { Tag: Object.entries(i.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) },
  };
}

/** Collects `Name.N.Key` / `Name.N.Value` pairs. */
function pairs(ctx: ActionContext, name: string): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  for (let n = 1; n <= 20; n++) {
    const key = ctx.params.get(`${name}.${n}.Key`);
    if (key !== undefined) out.push([key, ctx.params.get(`${name}.${n}.Value`)]);
  }
  return out;
}

const FILTER_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/;

export const describeInstances: Action = (ctx) => {
  const region = regionOf(ctx);
  let ids: string[] | undefined;
  const rawIds = ctx.params.get("InstanceIds");
  if (rawIds) {
    try {
      ids = JSON.parse(rawIds) as string[];
    } catch {
      throw new ApiError(400, "InvalidInstanceIds.Malformed", "The specified parameter InstanceIds is not a valid JSON array.");
    }
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string")) {
      throw new ApiError(400, "InvalidInstanceIds.Malformed", "The specified parameter InstanceIds is not a valid JSON array.");
    }
    if (ids.length > 100) throw new ApiError(400, "InvalidParameter.ToManyInstanceIds", "InstanceIds should be less than 100.");
    ctx.instanceIds = ids;
  }
  const chargeType = ctx.params.get("InstanceChargeType");
  const status = ctx.params.get("Status");
  const tags = pairs(ctx, "Tag");
  let expiredStart = -Infinity;
  let expiredEnd = Infinity;
  for (const [key, value] of pairs(ctx, "Filter")) {
    if (key !== "ExpiredStartTime" && key !== "ExpiredEndTime") continue;
    if (!value || !FILTER_TIME.test(value)) {
      throw new ApiError(400, "InvalidParameter.Filter", `The filter ${key} must be in the format yyyy-MM-ddTHH:mmZ: ${value}.`);
    }
    if (key === "ExpiredStartTime") expiredStart = parseTime(value);
    else expiredEnd = parseTime(value);
  }

  ctx.state.tick();
  const matched = [...ctx.state.instances.values()]
    .filter((i) => i.regionId === region)
    .filter((i) => !ids || (ids.includes(i.instanceId) && INSTANCE_ID.test(i.instanceId)))
    .filter((i) => !chargeType || i.instanceChargeType === chargeType)
    .filter((i) => !status || i.status === status)
    .filter((i) => tags.every(([k, v]) => k in i.tags && (v === undefined || i.tags[k] === v)))
    .filter((i) => {
      if (expiredStart === -Infinity && expiredEnd === Infinity) return true;
      const t = parseTime(i.expiredTime);
      return t >= expiredStart && t < expiredEnd;
    })
    .sort((a, b) => a.instanceId.localeCompare(b.instanceId));

  const maxResults = intParam(ctx, "MaxResults");
  const nextToken = ctx.params.get("NextToken");
  if (maxResults !== undefined || nextToken) {
    const size = maxResults ?? 10;
    if (size < 1 || size > 100) throw new ApiError(400, "InvalidParameter.MaxResults", "MaxResults must be between 1 and 100.");
    let offset = 0;
    if (nextToken) {
      offset = Number(Buffer.from(nextToken, "base64url").toString("utf8"));
      if (!Number.isInteger(offset) || offset < 0) throw new ApiError(400, "InvalidParameter.NextToken", "The specified NextToken is not valid.");
    }
    const page = matched.slice(offset, offset + size);
    const more = offset + size < matched.length;
    return {
      TotalCount: matched.length,
      NextToken: more ? Buffer.from(String(offset + size)).toString("base64url") : "",
      Instances: { Instance: page.map(instanceView) },
    };
  }
  const pageNumber = intParam(ctx, "PageNumber") ?? 1;
  const pageSize = intParam(ctx, "PageSize") ?? 10;
  if (pageSize < 1 || pageSize > 100) throw new ApiError(400, "InvalidParameter.PageSize", "PageSize must be between 1 and 100.");
  return {
    TotalCount: matched.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    Instances: { Instance: matched.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(instanceView) },
  };
};
