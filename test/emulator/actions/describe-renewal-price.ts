// DescribeRenewalPrice: what RenewInstance would charge, from the same quote function.
import { ApiError, missing } from "../errors";
import { instanceIn, PRICE_PERIODS, regionOf, requirePrePaid, type Action } from "./common";
import { quoteRenewal, readRenewal, validateForInstance, validateRenewal } from "./renewal";

export const describeRenewalPrice: Action = (ctx) => {
  const region = regionOf(ctx);
  const id = ctx.params.get("ResourceId");
  if (!id) throw missing("ResourceId");
  ctx.instanceIds = [id];
  const type = ctx.params.get("ResourceType") || "instance";
  if (type !== "instance") throw new ApiError(400, "InvalidResourceType.NotSupported", `ResourceType ${type} is not supported; use instance.`);
  const req = readRenewal(ctx, "PriceUnit", 1);
  validateRenewal(req, PRICE_PERIODS);
  const inst = instanceIn(ctx, region, id);
  requirePrePaid(inst);
  validateForInstance(inst, req);
  const { price } = quoteRenewal(inst, ctx.state.expiryOf(id), ctx.state.now(), req);
  return {
    PriceInfo: {
      Price: { OriginalPrice: price.originalPrice, DiscountPrice: price.discountPrice, TradePrice: price.tradePrice, Currency: price.currency },
      Rules: { Rule: price.discountPrice > 0 ? [{ RuleId: 1, Description: "Yearly renewal: 15% off" }] : [] },
    },
  };
};
