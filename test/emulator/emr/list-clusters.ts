// ListClusters: the region's clusters, filtered by PaymentTypes.N (Subscription / PayAsYouGo), paged with
// MaxResults (1–100, default 20) and NextToken; each a ClusterSummary with its fee's ExpireTime (Unix ms).
import { ApiError } from "../errors";
import { intParam, regionOf, type Action } from "../actions/common";
import { parseTime } from "../state";

export const listClusters: Action = (ctx) => {
  const region = regionOf(ctx);
  const types = [...ctx.params].filter(([k]) => /^PaymentTypes\.\d+$/.test(k)).map(([, v]) => v);
  for (const t of types) if (t !== "Subscription" && t !== "PayAsYouGo") throw new ApiError(400, "InvalidParameter.PaymentTypes", `The specified PaymentTypes is not valid: ${t}.`);
  const size = Math.min(100, Math.max(1, intParam(ctx, "MaxResults") ?? 20));
  const token = ctx.params.get("NextToken") || undefined;
  const offset = token ? Number(/^c(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"))?.[1] ?? NaN) : 0;
  if (Number.isNaN(offset)) throw new ApiError(400, "InvalidParameter.NextToken", `The specified NextToken is not valid: ${token}.`);
  const all = [...ctx.state.families.values()]
    .filter((c) => c.kind === "emrCluster" && c.regionId === region)
    .filter((c) => types.length === 0 || types.includes(c.chargeType === "PrePaid" ? "Subscription" : "PayAsYouGo"))
    .sort((a, b) => a.id.localeCompare(b.id));
  const page = all.slice(offset, offset + size);
  return {
    TotalCount: all.length,
    MaxResults: size,
    NextToken: offset + size < all.length ? Buffer.from(`c${offset + size}`).toString("base64url") : "",
    Clusters: page.map((c) => ({ ClusterId: c.id, ClusterName: c.id, ClusterType: "DATALAKE", ClusterState: c.status, RegionId: c.regionId, PaymentType: c.chargeType === "PrePaid" ? "Subscription" : "PayAsYouGo", ...(c.chargeType === "PrePaid" ? { ExpireTime: parseTime(c.expiredTime) } : {}) })),
  };
};
