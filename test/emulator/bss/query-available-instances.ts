// BSS QueryAvailableInstances: the account's instances of every product, filtered and paged as documented
// (PageNum from 1; PageSize default 20, at most 300; up to 100 InstanceIDs; ProductCode required with Region).
import { ApiError } from "../errors";
import { parseTime } from "../state";
import type { Action, ActionContext } from "../actions/common";
import { allRows, type BssRow } from "./subscriptions";

/** A BSS business error: the HTTP status with `Success: false` in the body, as BSS answers. */
export const bssError = (status: number, code: string, message: string) => new ApiError(status, code, message, {}, { Success: false });

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function timeParam(ctx: ActionContext, name: string): number | undefined {
  const raw = ctx.params.get(name);
  if (raw === undefined || raw === "") return undefined;
  if (!ISO_UTC.test(raw)) throw bssError(400, `InvalidParameter.${name}`, `${name} must be a UTC time in ISO 8601 form, yyyy-MM-ddTHH:mm:ssZ: ${raw}.`);
  return parseTime(raw);
}

function intOf(ctx: ActionContext, name: string): number | undefined {
  const raw = ctx.params.get(name);
  if (raw === undefined || raw === "") return undefined;
  if (!/^-?\d+$/.test(raw)) throw bssError(400, `InvalidParameter.${name}`, `${name} is not a whole number: ${raw}.`);
  return Number(raw);
}

function oneOf(ctx: ActionContext, name: string, allowed: string[]): string | undefined {
  const raw = ctx.params.get(name);
  if (raw === undefined || raw === "") return undefined;
  if (!allowed.includes(raw)) throw bssError(400, `InvalidParameter.${name}`, `${name} is not valid: ${raw}; use one of ${allowed.join(", ")}.`);
  return raw;
}

/** A time window [start, end) on a row's time field; a row without that time matches no window. */
function within(value: string | undefined, start: number | undefined, end: number | undefined): boolean {
  if (start === undefined && end === undefined) return true;
  if (!value) return false;
  const t = parseTime(value);
  return (start === undefined || t >= start) && (end === undefined || t < end);
}

export const queryAvailableInstances: Action = (ctx) => {
  const pageNum = intOf(ctx, "PageNum") ?? 1;
  const pageSize = intOf(ctx, "PageSize") ?? 20;
  if (pageNum < 1) throw bssError(400, "InvalidParameter.PageNum", `PageNum must be 1 or more: ${pageNum}.`);
  if (pageSize < 1 || pageSize > 300) throw bssError(400, "InvalidParameter.PageSize", `PageSize must be from 1 to 300: ${pageSize}.`);
  const region = ctx.params.get("Region") || undefined;
  const productCode = ctx.params.get("ProductCode") || undefined;
  if (region && !productCode) throw bssError(400, "InvalidParameter.ProductCode", "ProductCode is required when Region is given.");
  const productType = ctx.params.get("ProductType") || undefined;
  const subscriptionType = oneOf(ctx, "SubscriptionType", ["Subscription", "PayAsYouGo"]);
  const renewStatus = oneOf(ctx, "RenewStatus", ["AutoRenewal", "ManualRenewal", "NotRenewal"]);
  const ids = (ctx.params.get("InstanceIDs") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  ctx.instanceIds = ids;
  if (ids.length > 100) throw bssError(400, "InvalidParameter.InstanceIDs", `InstanceIDs takes at most 100 ids; ${ids.length} were given.`);
  const endStart = timeParam(ctx, "EndTimeStart");
  const endEnd = timeParam(ctx, "EndTimeEnd");
  const createStart = timeParam(ctx, "CreateTimeStart");
  const createEnd = timeParam(ctx, "CreateTimeEnd");

  const wanted = ids.length ? new Set(ids) : undefined;
  const rows = allRows(ctx.state)
    .filter(
      (r: BssRow) =>
        (!productCode || r.ProductCode === productCode) &&
        (!productType || r.ProductType === productType) &&
        (!region || r.Region === region) &&
        (!subscriptionType || r.SubscriptionType === subscriptionType) &&
        (!renewStatus || r.RenewStatus === renewStatus) &&
        (!wanted || wanted.has(r.InstanceID)) &&
        within(r.EndTime, endStart, endEnd) &&
        within(r.CreateTime, createStart, createEnd),
    )
    .sort((a, b) => (a.InstanceID < b.InstanceID ? -1 : a.InstanceID > b.InstanceID ? 1 : 0));
  const page = rows.slice((pageNum - 1) * pageSize, pageNum * pageSize);
  return {
    Code: "Success",
    Message: "Successful!",
    Success: true,
    Data: { PageNum: pageNum, PageSize: pageSize, TotalCount: rows.length, InstanceList: page },
  };
};
