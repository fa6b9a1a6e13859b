// UpdateClusterAutoRenew: the fee's auto-renewal (ClusterAutoRenew, ClusterAutoRenewDuration,
// ClusterAutoRenewDurationUnit) and, with RenewAllInstances or AutoRenewInstances.N.*, its ECS nodes'.
// Nothing about the nodes is changed unless one of those is sent.
import { ApiError } from "../errors";
import { intParam, type Action, type ActionContext } from "../actions/common";
import { DAY, type InstanceRecord, type PeriodUnit } from "../state";
import { clusterIn } from "./cluster";

/** ClusterAutoRenewDuration per unit (API reference). */
const DURATIONS: Record<string, number[]> = { Month: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36], Year: [1, 2, 3] };

const invalid = (name: string, value: unknown) => new ApiError(400, `InvalidParameter.${name}`, `The specified parameter ${name} is not valid: ${String(value)}.`);

/** AutoRenewInstances.N.{InstanceId, AutoRenew, AutoRenewDuration, AutoRenewDurationUnit}, in N order. */
function nodeSettings(ctx: ActionContext): Array<{ instanceId: string; autoRenew: boolean; duration?: number; unit: string }> {
  const ns = new Set<number>();
  for (const k of ctx.params.keys()) {
    const m = /^AutoRenewInstances\.(\d+)\./.exec(k);
    if (m) ns.add(Number(m[1]));
  }
  return [...ns]
    .sort((a, b) => a - b)
    .map((n) => {
      const get = (f: string) => ctx.params.get(`AutoRenewInstances.${n}.${f}`);
      const instanceId = get("InstanceId");
      if (!instanceId) throw new ApiError(400, "MissingParameter.InstanceId", `AutoRenewInstances.${n}.InstanceId is required.`);
      const duration = get("AutoRenewDuration");
      if (duration !== undefined && !/^\d+$/.test(duration)) throw invalid(`AutoRenewInstances.${n}.AutoRenewDuration`, duration);
      return { instanceId, autoRenew: get("AutoRenew") === "true", duration: duration === undefined ? undefined : Number(duration), unit: get("AutoRenewDurationUnit") || "Month" };
    });
}

export const updateClusterAutoRenew: Action = (ctx) => {
  const cluster = clusterIn(ctx);
  if (cluster.chargeType !== "PrePaid") throw new ApiError(403, "OperationDenied.PaymentType", "Auto-renewal applies only to subscription clusters.");
  const auto = ctx.params.get("ClusterAutoRenew") === "true";
  const unit = ctx.params.get("ClusterAutoRenewDurationUnit") || "Month";
  if (!DURATIONS[unit]) throw invalid("ClusterAutoRenewDurationUnit", unit);
  const duration = intParam(ctx, "ClusterAutoRenewDuration", "InvalidParameter.ClusterAutoRenewDuration");
  if (auto && duration !== undefined && !DURATIONS[unit].includes(duration)) throw invalid("ClusterAutoRenewDuration", duration);
  // "If an instance has expired or will expire the next day, you must perform a manual renewal first."
  if (auto && cluster.renewalStatus !== "AutoRenewal" && ctx.state.expiryOf(cluster.id) - ctx.state.now() < DAY) {
    throw new ApiError(403, "OperationDenied.ClusterExpiring", "The cluster has expired or expires within a day: renew it manually before enabling auto-renewal.");
  }
  const nodes = (cluster.nodes ?? []).map((id) => ctx.state.visible(id)).filter((n): n is InstanceRecord => n !== undefined);
  const renewAll = ctx.params.get("RenewAllInstances") === "true";
  const perNode = renewAll ? [] : nodeSettings(ctx);
  for (const s of perNode) if (!cluster.nodes?.includes(s.instanceId)) throw invalid("AutoRenewInstances.InstanceId", s.instanceId);
  ctx.state.setRenewal(cluster, auto ? "AutoRenewal" : "Normal", duration ?? 1, unit as PeriodUnit);
  // RenewAllInstances: "The default auto-renewal duration is one month."
  if (renewAll) for (const n of nodes) ctx.state.setRenewal(n, "AutoRenewal", 1, "Month");
  for (const s of perNode) {
    const node = nodes.find((n) => n.instanceId === s.instanceId);
    if (node) ctx.state.setRenewal(node, s.autoRenew ? "AutoRenewal" : "Normal", s.duration ?? 1, s.unit as PeriodUnit);
  }
  return { Success: true };
};
