// DescribeInstances: filters (ids, charge type, status, tags, expiry window) and both paging styles.
import { ApiError } from "../errors";
import { parseTime, type InstanceRecord } from "../state";
import { intParam, pageParams, regionOf, type Action, type ActionContext } from "./common";

/** An instance as DescribeInstances / DescribeInstanceAttribute show it (the SDK model's names). */
export function instanceView(i: InstanceRecord): Record<string, unknown> {
  return {
    InstanceId: i.instanceId,
    InstanceName: i.instanceId,
    RegionId: i.regionId,
    ZoneId: `${i.regionId}-k`,
    InstanceType: "ecs.g7.large",
    ExpiredTime: i.expiredTime,
    InstanceChargeType: i.instanceChargeType,
    Status: i.status,
    OperationLocks: { LockReason: i.lockReasons.map((r) => ({ LockReason: r })) },
    Tags: { Tag: Object.entries(i.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) },
  };
}

/** Collects `Name.N.Key` / `Name.N.Value` pairs (N = 1..20, as the SDK flattens lists). */
function pairs(ctx: ActionContext, name: string): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  for (let n = 1; n <= 20; n++) {
    const key = ctx.params.get(`${name}.${n}.Key`);
    if (key !== undefined) out.push([key, ctx.params.get(`${name}.${n}.Value`)]);
  }
  return out;
}

const FILTER_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/;
const malformedIds = () => new ApiError(400, "InvalidInstanceIds.Malformed", "The specified parameter InstanceIds is not a valid JSON array of instance ids.");

export const describeInstances: Action = (ctx) => {
  const region = regionOf(ctx);
  let ids: string[] | undefined;
  const rawIds = ctx.params.get("InstanceIds");
  if (rawIds) {
    // An empty JSON array is a filter that matches nothing, as documented.
    try {
      ids = JSON.parse(rawIds) as string[];
    } catch {
      throw malformedIds();
    }
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string")) throw malformedIds();
    if (ids.length > 100) throw new ApiError(400, "InvalidParameter.ToManyInstanceIds", `InstanceIds should be less than 100; ${ids.length} were given.`);
    ctx.instanceIds = ids;
  }
  const chargeType = ctx.params.get("InstanceChargeType") || undefined;
  const status = ctx.params.get("Status") || undefined;
  const tags = pairs(ctx, "Tag");
  let expiredStart = -Infinity;
  let expiredEnd = Infinity;
  for (const [key, value] of pairs(ctx, "Filter")) {
    if (key !== "ExpiredStartTime" && key !== "ExpiredEndTime") continue;
    if (!value || !FILTER_TIME.test(value)) throw new ApiError(400, "InvalidParameter.Filter", `The filter ${key} must be UTC in the format yyyy-MM-ddTHH:mmZ: ${value}.`);
    if (key === "ExpiredStartTime") expiredStart = parseTime(value);
    else expiredEnd = parseTime(value);
  }

  const wanted = ids && new Set(ids);
  const matched = [...ctx.state.instances.values()]
    .filter((i) => i.regionId === region)
    .filter((i) => !wanted || wanted.has(i.instanceId))
    .filter((i) => !chargeType || i.instanceChargeType === chargeType)
    .filter((i) => !status || i.status === status)
    .filter((i) => tags.every(([k, v]) => k in i.tags && (v === undefined || i.tags[k] === v)))
    .filter((i) => {
      // The window is on what reads show: [ExpiredStartTime, ExpiredEndTime).
      if (expiredStart === -Infinity && expiredEnd === Infinity) return true;
      const t = parseTime(i.expiredTime);
      return t >= expiredStart && t < expiredEnd;
    })
    .sort((a, b) => a.instanceId.localeCompare(b.instanceId));

  const maxResults = intParam(ctx, "MaxResults");
  const nextToken = ctx.params.get("NextToken") || undefined;
  if (maxResults !== undefined || nextToken) {
    // With MaxResults/NextToken, PageNumber/PageSize do not take effect (they are echoed as sent).
    const size = maxResults ?? 10;
    if (size < 1 || size > 100) throw new ApiError(400, "InvalidParameter.MaxResults", `MaxResults must be between 1 and 100: ${size}.`);
    let offset = 0;
    if (nextToken) {
      const m = /^o(\d+)$/.exec(Buffer.from(nextToken, "base64url").toString("utf8"));
      if (!m) throw new ApiError(400, "InvalidParameter.NextToken", `The specified NextToken is not valid: ${nextToken}.`);
      offset = Number(m[1]);
    }
    const page = matched.slice(offset, offset + size);
    return {
      TotalCount: matched.length,
      NextToken: offset + size < matched.length ? Buffer.from(`o${offset + size}`).toString("base64url") : "",
      PageNumber: intParam(ctx, "PageNumber") ?? 1,
      PageSize: size,
      Instances: { Instance: page.map(instanceView) },
    };
  }
  const { pageNumber, pageSize } = pageParams(ctx);
  return {
    TotalCount: matched.length,
    NextToken: "",
    PageNumber: pageNumber,
    PageSize: pageSize,
    Instances: { Instance: matched.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(instanceView) },
  };
};
