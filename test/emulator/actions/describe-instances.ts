// DescribeInstances: filters (ids, charge type, status, lock reason, tags, time windows), both paging styles,
// DryRun, and RAM's empty list for an identity without the permission.
import { ApiError, documented } from "../errors";
import { forbidden } from "../ram";
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
    ...(i.dedicatedHostId ? { DedicatedHostAttribute: { DedicatedHostId: i.dedicatedHostId, DedicatedHostName: i.dedicatedHostId, DedicatedHostClusterId: "" } } : {}),
  };
}

/** Collects `Name.N.Key` / `Name.N.Value` pairs in N order; a Value without its Key is `orphan`'s error. */
function pairs(ctx: ActionContext, name: string, orphan: () => ApiError): Array<{ n: number; key: string; value?: string }> {
  const out: Array<{ n: number; key: string; value?: string }> = [];
  for (const [param, value] of ctx.params) {
    const m = new RegExp(`^${name}\\.(\\d+)\\.(Key|Value)$`).exec(param);
    if (!m) continue;
    const n = Number(m[1]);
    if (m[2] === "Value" && ctx.params.get(`${name}.${n}.Key`) === undefined) throw orphan();
    if (m[2] === "Key") out.push({ n, key: value, value: ctx.params.get(`${name}.${n}.Value`) });
  }
  return out.sort((a, b) => a.n - b.n);
}

/** The documented value sets of the filter parameters. */
const CHARGE_TYPES = ["PrePaid", "PostPaid"];
const STATUSES = ["Pending", "Running", "Starting", "Stopping", "Stopped"];
const LOCK_REASONS = ["financial", "security", "recycling", "dedicatedhostfinancial", "refunded"];
const TIME_FILTERS = ["CreationStartTime", "CreationEndTime", "ExpiredStartTime", "ExpiredEndTime"];
const FILTER_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/;
const malformedIds = () => new ApiError(400, "InvalidInstanceIds.Malformed", "The specified parameter InstanceIds is not a valid JSON array of instance ids.");
const badFilter = () => new ApiError(404, "InvalidFilterKey.NotFound", "The specified Filter.N.Key is not supported, or its Filter.N.Value is not a UTC time in the format yyyy-MM-ddTHH:mmZ.");

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
    if (ids.length > 100) throw new ApiError(400, "InvalidParameter.ToManyInstanceIds", "InstanceIds should be less than 100.");
    ctx.instanceIds = ids;
  }
  const chargeType = ctx.params.get("InstanceChargeType") || undefined;
  if (chargeType && !CHARGE_TYPES.includes(chargeType)) throw new ApiError(404, "InvalidInstanceChargeType.NotFound", "The InstanceChargeType does not exist in our records");
  const status = ctx.params.get("Status") || undefined;
  if (status && !STATUSES.includes(status)) throw new ApiError(404, "InvalidStatus.NotFound", "The specified Status is not found");
  const lockReason = ctx.params.get("LockReason")?.toLowerCase() || undefined;
  if (lockReason && !LOCK_REASONS.includes(lockReason)) throw new ApiError(404, "InvalidLockReason.NotFound", "The specified LockReason is not found");
  const tags = pairs(ctx, "Tag", () => documented(400, "InvalidTag.Mismatch"));
  if (tags.length > 20 || tags.some((t) => t.n < 1 || t.n > 20)) throw documented(400, "InvalidTagCount");
  let expiredStart = -Infinity;
  let expiredEnd = Infinity;
  for (const { key, value } of pairs(ctx, "Filter", badFilter)) {
    if (!TIME_FILTERS.includes(key) || !value || !FILTER_TIME.test(value)) throw badFilter();
    // Creation times are not modelled: such a filter is checked, and matches every instance.
    if (key === "ExpiredStartTime") expiredStart = parseTime(value);
    if (key === "ExpiredEndTime") expiredEnd = parseTime(value);
  }
  if (ctx.params.get("DryRun") === "true") {
    if (ctx.denied) throw forbidden(ctx.key, `ecs:${ctx.action}`);
    throw new ApiError(400, "DryRunOperation", "Request validation has been passed with DryRun flag set.");
  }

  const wanted = ids && new Set(ids);
  // Without the permission the call succeeds and lists nothing.
  const matched = ctx.denied
    ? []
    : [...ctx.state.instances.values()]
        .filter((i) => i.regionId === region)
        .filter((i) => !wanted || wanted.has(i.instanceId))
        .filter((i) => !chargeType || i.instanceChargeType === chargeType)
        .filter((i) => !status || i.status === status)
        .filter((i) => !lockReason || i.lockReasons.some((r) => r.toLowerCase() === lockReason))
        .filter((i) => tags.every(({ key, value }) => key in i.tags && (value === undefined || i.tags[key] === value)))
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
    // With MaxResults/NextToken, PageNumber/PageSize do not take effect. MaxResults below 10 (or unset) is
    // taken as 10, above 100 as 100 (SDK model of DescribeInstancesRequest.MaxResults).
    const size = Math.min(100, Math.max(10, maxResults ?? 10));
    let offset = 0;
    if (nextToken) {
      const m = /^o(\d+)$/.exec(Buffer.from(nextToken, "base64url").toString("utf8"));
      if (!m) throw new ApiError(400, "InvalidParameter.NextToken", `The specified NextToken is not valid: ${nextToken}.`);
      offset = Number(m[1]);
    }
    const page = matched.slice(offset, offset + size);
    return {
      // "When you use the MaxResults and NextToken parameters for paging query, the returned TotalCount
      // parameter value is meaningless": here it counts this page only.
      TotalCount: page.length,
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
