// DescribeRenewalPrice: what RenewInstance would charge, from the same quote function. It prices Month 1–9
// and Year 1–3 only (no Week), so a 12-month order is priced as 1 Year, and 48 months not at all.
import { documented, missing } from "../errors";
import { instanceIn, regionOf, requirePrePaid, type Action } from "./common";
import { quoteRenewal, readRenewal, validateForInstance, validateRenewal } from "./renewal";

export const describeRenewalPrice: Action = (ctx) => {
  const region = regionOf(ctx);
  const id = ctx.params.get("ResourceId");
  if (!id) throw missing("ResourceId");
  ctx.instanceIds = [id];
  const type = ctx.params.get("ResourceType") || "instance";
  if (type !== "instance") throw documented(400, "InvalidResourceType.ValueNotSupported");
  const req = readRenewal(ctx, "PriceUnit", 1);
  validateRenewal(ctx, req, "price");
  const inst = instanceIn(ctx, region, id);
  requirePrePaid(inst, "order");
  validateForInstance(ctx, inst, req);
  const { price } = quoteRenewal(ctx, inst, req);
  return {
    PriceInfo: {
      Price: { OriginalPrice: price.originalPrice, DiscountPrice: price.discountPrice, TradePrice: price.tradePrice, Currency: price.currency },
      Rules: { Rule: price.discountPrice > 0 ? [{ RuleId: 1, Description: "Receive a 15% discount on a 1-year subscription" }] : [] },
    },
  };
};
