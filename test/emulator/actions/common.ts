// Parameter handling shared by the actions, with the validation errors ECS documents.
import { ApiError, chargeTypeViolation, malformedId, missing, notFound } from "../errors";
import { INSTANCE_ID } from "../fleet";
import type { EmulatorKey } from "../signature";
import type { AccountState, InstanceRecord } from "../state";

export { INSTANCE_ID };

export interface ActionContext {
  state: AccountState;
  /** Query parameters (and form-body parameters, if any), decoded. */
  params: Map<string, string>;
  key: EmulatorKey;
  action: string;
  /** Filled by the action for the call log. */
  instanceIds: string[];
  clientToken?: string;
}

export type Action = (ctx: ActionContext) => Record<string, unknown>;

/** Calls a read-only key may not make. */
export const MUTATING = new Set(["ModifyInstanceAutoRenewAttribute", "RenewInstance"]);

export function regionOf(ctx: ActionContext): string {
  const region = ctx.params.get("RegionId");
  if (!region) throw missing("RegionId");
  return region;
}

/** An integer parameter, or undefined when absent; anything else is `code` (400 unless told). */
export function intParam(ctx: ActionContext, name: string, code = `InvalidParameter.${name}`, status = 400): number | undefined {
  const raw = ctx.params.get(name);
  if (raw === undefined || raw === "") return undefined;
  if (!/^-?\d+$/.test(raw)) throw new ApiError(status, code, `The specified parameter ${name} is not valid: ${raw}.`);
  return Number(raw);
}

/** PageNumber (from 1, default 1) and PageSize (1–100, default 10). */
export function pageParams(ctx: ActionContext): { pageNumber: number; pageSize: number } {
  const pageNumber = intParam(ctx, "PageNumber") ?? 1;
  const pageSize = intParam(ctx, "PageSize") ?? 10;
  if (pageNumber < 1) throw new ApiError(400, "InvalidParameter.PageNumber", `The specified PageNumber is not valid: ${pageNumber}; pages start at 1.`);
  if (pageSize < 1 || pageSize > 100) throw new ApiError(400, "InvalidParameter.PageSize", `The specified PageSize is not valid: ${pageSize}; use 1 to 100.`);
  return { pageNumber, pageSize };
}

/** Comma-joined ids (Describe/ModifyInstanceAutoRenewAttribute), de-duplicated in order. */
export function commaIds(ctx: ActionContext, required: boolean): string[] {
  const raw = ctx.params.get("InstanceId") ?? "";
  const ids = [...new Set(raw.split(",").map((s) => s.trim()).filter(Boolean))];
  ctx.instanceIds = ids;
  if (ids.length === 0 && required) throw new ApiError(403, "MissingParameter.InstanceId", "InstanceId should not be null.");
  if (ids.length > 100) throw new ApiError(403, "InvalidParameter.ToManyInstanceIds", `InstanceId should be less than 100; ${ids.length} were given.`);
  for (const id of ids) if (!INSTANCE_ID.test(id)) throw malformedId(id);
  return ids;
}

/** The instance in this region (any region when undefined), or NotFound naming it. */
export function instanceIn(ctx: ActionContext, region: string | undefined, id: string): InstanceRecord {
  const inst = ctx.state.visible(id);
  if (!inst || (region !== undefined && inst.regionId !== region)) throw notFound(id);
  return inst;
}

export function requirePrePaid(inst: InstanceRecord): void {
  if (inst.instanceChargeType !== "PrePaid") throw chargeTypeViolation(inst.instanceId);
}

/** ModifyInstanceAutoRenewAttribute's Duration per PeriodUnit. */
export const MODIFY_DURATIONS: Record<string, number[]> = {
  Month: [1, 2, 3, 6, 12, 24, 36, 48, 60],
  Year: [1, 2, 3, 4, 5],
  Week: [1, 2, 3, 4],
};

/** RenewInstance's Period per PeriodUnit. */
export const RENEW_PERIODS: Record<string, number[]> = {
  Month: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60],
  Week: [1, 2, 3, 4],
};

/** DescribeRenewalPrice's Period per PriceUnit (RenewInstance's, plus whole years). */
export const PRICE_PERIODS: Record<string, number[]> = {
  ...RENEW_PERIODS,
  Year: [1, 2, 3, 4, 5],
};
