// Parameter handling shared by the actions, with the validation errors ECS documents.
import { ApiError, documented, malformedId, missing, notFound } from "../errors";
import { INSTANCE_ID } from "../fleet";
import type { EmulatorKey } from "../signature";
import { SITE_RULES, type SiteRules } from "../sites";
import type { AccountState, InstanceRecord } from "../state";

export { INSTANCE_ID };

export interface ActionContext {
  state: AccountState;
  /** Query parameters (and form-body parameters, if any), decoded. */
  params: Map<string, string>;
  key: EmulatorKey;
  action: string;
  requestId: string;
  /** The key's policy does not allow the action (only actions that answer that with an empty list get here). */
  denied: boolean;
  /** Filled by the action for the call log. */
  instanceIds: string[];
  clientToken?: string;
}

export type Action = (ctx: ActionContext) => Record<string, unknown>;

/** The value sets of the account's site. */
export const siteRules = (ctx: ActionContext): SiteRules => SITE_RULES[ctx.state.site];

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
  if (ids.length === 0 && required) throw documented(403, "MissingParameter.InstanceId");
  if (ids.length > 100) throw documented(403, "InvalidParameter.ToManyInstanceIds");
  for (const id of ids) if (!INSTANCE_ID.test(id)) throw malformedId(id);
  return ids;
}

/** The instance in this region (any region when undefined), or NotFound naming it. */
export function instanceIn(ctx: ActionContext, region: string | undefined, id: string): InstanceRecord {
  const inst = ctx.state.visible(id);
  if (!inst || (region !== undefined && inst.regionId !== region)) throw notFound();
  return inst;
}

/** Subscription only. The auto-renew actions and the ordering actions document different messages for it. */
export function requirePrePaid(inst: InstanceRecord, calls: "autoRenew" | "order"): void {
  if (inst.instanceChargeType !== "PrePaid") throw documented(403, calls === "autoRenew" ? "ChargeTypeViolation.autoRenew" : "ChargeTypeViolation.order");
}

/** The id named by InstanceId (RenewInstance, DescribeInstanceAttribute): required, 403 without it. */
export function singleId(ctx: ActionContext, name = "InstanceId"): string {
  const id = ctx.params.get(name);
  if (!id) throw name === "InstanceId" ? documented(403, "MissingParameter.InstanceId") : missing(name);
  ctx.instanceIds = [id];
  return id;
}
