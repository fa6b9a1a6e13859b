// Parameter handling shared by the actions, with the validation errors ECS documents.
import { ApiError, missing, notFound } from "../errors";
import type { EmulatorKey } from "../signature";
import type { AccountState, InstanceRecord } from "../state";

export interface ActionContext {
  state: AccountState;
  params: Map<string, string>;
  key: EmulatorKey;
  action: string;
  /** Filled by the action for the call log. */
  instanceIds: string[];
  clientToken?: string;
}

export type Action = (ctx: ActionContext) => Record<string, unknown>;

export const INSTANCE_ID = /^i-[0-9a-z]{4,}$/;
export const MUTATING = new Set(["ModifyInstanceAutoRenewAttribute", "RenewInstance"]);

export function requireWritable(ctx: ActionContext): void {
  if (ctx.key.readOnly && MUTATING.has(ctx.action)) {
    throw new ApiError(
      403,
      "Forbidden.RAM",
      `User not authorized to operate on the specified resource, or this API doesn't support RAM. Action: ecs:${ctx.action}`,
    );
  }
}

export function regionOf(ctx: ActionContext): string {
  const region = ctx.params.get("RegionId");
  if (!region) throw missing("RegionId");
  return region;
}

export function intParam(ctx: ActionContext, name: string, code = `InvalidParameter.${name}`, status = 400): number | undefined {
  const raw = ctx.params.get(name);
  if (raw === undefined || raw === "") return undefined;
  if (!/^-?\d+$/.test(raw)) throw new ApiError(status, code, `The specified parameter ${name} is not valid: ${raw}.`);
  return Number(raw);
}

/** Comma-joined ids (Describe/ModifyInstanceAutoRenewAttribute). */
export function commaIds(ctx: ActionContext, required: boolean): string[] {
  const raw = ctx.params.get("InstanceId") ?? "";
  const ids = raw.split(",").map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0 && required) throw new ApiError(403, "MissingParameter.InstanceId", "InstanceId should not be null.");
  if (ids.length > 100) throw new ApiError(403, "InvalidParameter.ToManyInstanceIds", "InstanceId should be less than 100.");
  for (const id of ids) {
    if (!INSTANCE_ID.test(id)) throw new ApiError(403, "InvalidParameter.InvalidInstanceId", `The specified InstanceId is not valid: ${id}.`);
  }
  ctx.instanceIds = ids;
  return ids;
}

/** The instance in this region, or NotFound naming it. */
export function instanceIn(ctx: ActionContext, region: string | undefined, id: string): InstanceRecord {
  const inst = ctx.state.visible(id);
  if (!inst || (region !== undefined && inst.regionId !== region)) throw notFound(id);
  return inst;
}

export function requirePrePaid(inst: InstanceRecord): void {
  if (inst.instanceChargeType !== "PrePaid") {
    throw new ApiError(403, "ChargeTypeViolation", `Pay-As-You-Go instances do not support this operation: ${inst.instanceId}.`);
  }
}

export const MODIFY_DURATIONS: Record<string, number[]> = {
  Month: [1, 2, 3, 6, 12, 24, 36, 48, 60],
  Year: [1, 2, 3, 4, 5],
  Week: [1, 2, 3, 4],
};
export const RENEW_PERIODS: Record<string, number[]> = {
  Month: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60],
  Week: [1, 2, 3, 4],
};
