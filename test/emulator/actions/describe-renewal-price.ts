import { ApiError, missing } from "../errors";
import { instanceIn, intParam, regionOf, requirePrePaid, type Action } from "./common";
import { quoteRenewal, validateRenewal } from "./renewal";

const PRICE_UNITS: Record<string, number[]> = {
  Month: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60],
  Year: [1, 2, 3, 4, 5],
  Week: [1, 2, 3, 4],
};

export const describeRenewalPrice: Action = (ctx) => {
  const region = regionOf(ctx);
  const id = ctx.params.get("ResourceId");
  if (!id) throw missing("ResourceId");
  ctx.instanceIds = [id];
  const type = ctx.params.get("ResourceType") ?? "instance";
  if (type !== "instance") throw new ApiError(400, "InvalidResourceType.NotSupported", `ResourceType ${type} is not supported.`);
  const inst = instanceIn(ctx, region, id);
  requirePrePaid(inst);
  const req = { period: intParam(ctx, "Period", "InvalidPeriod") ?? (ctx.params.has("ExpectedRenewDay") ? undefined : 1), unit: ctx.params.get("PriceUnit") ?? "Month", expectedRenewDay: intParam(ctx, "ExpectedRenewDay") };
  validateRenewal(inst, req, PRICE_UNITS);
  const { amount } = quoteRenewal(inst, ctx.state.expiryOf(id), ctx.state.now(), req);
  return {
    PriceInfo: {
      Price: { OriginalPrice: amount, DiscountPrice: 0, TradePrice: amount, Currency: "CNY" },
      Rules: { Rule: [] },
    },
  };
};
