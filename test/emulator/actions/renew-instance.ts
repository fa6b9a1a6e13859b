// RenewInstance: one charging order per call, idempotent by ClientToken. The order is paid from the balance
// at once; the new expiry shows in reads only after the visibility delay. Until then the order is
// "processing": the same token answers LastTokenProcessing and another order for the instance
// LastOrderProcessing. A second request with a token whose first request is still being handled answers
// Idempotence.Processing.
import { documented, malformedId } from "../errors";
import { formatTime } from "../state";
import { INSTANCE_ID, instanceIn, requirePrePaid, singleId, type Action } from "./common";
import { quoteRenewal, readRenewal, rememberedOrder, validateForInstance, validateRenewal, validToken } from "./renewal";

export const renewInstance: Action = (ctx) => {
  const id = singleId(ctx);
  if (!INSTANCE_ID.test(id)) throw malformedId(id);
  const token = validToken(ctx);
  const req = readRenewal(ctx, "PeriodUnit");
  validateRenewal(ctx, req, "order");
  // "The same request": same instance and same intent (PeriodUnit only counts when a Period is renewed).
  const fingerprint = JSON.stringify([id, req.period ?? null, req.expectedRenewDay === undefined ? req.unit : null, req.expectedRenewDay ?? null]);

  const earlier = rememberedOrder(ctx, token, fingerprint);
  if (earlier) return { OrderId: earlier }; // the first answer again; nothing is charged

  const inst = instanceIn(ctx, undefined, id);
  requirePrePaid(inst, "order");
  // Expire without renewal: set back to Normal (ModifyInstanceAutoRenewAttribute) before renewing.
  if (inst.renewalStatus === "NotRenewal") throw documented(403, "IncorrectInstanceStatus");
  if (inst.lockReasons.includes("security")) throw documented(403, "InstanceLockedForSecurity");
  validateForInstance(ctx, inst, req);
  if (ctx.state.processing(id)) throw documented(400, "LastOrderProcessing");

  const expiry = ctx.state.expiryOf(id);
  const { newExpiry, price } = quoteRenewal(ctx, inst, req);
  // An instance on a dedicated host never outlives the host (RI: InvalidPeriod.ExceededDedicatedHost).
  if (inst.dedicatedHostId && newExpiry > ctx.state.expiryOf(inst.dedicatedHostId)) throw documented(400, "InvalidPeriod.ExceededDedicatedHost");
  const charge = ctx.state.charge({
    instanceId: id,
    kind: "renew",
    ...(req.expectedRenewDay !== undefined ? { expectedRenewDay: req.expectedRenewDay } : { period: req.period, periodUnit: req.unit }),
    amount: price.tradePrice,
    ...(token ? { clientToken: token } : {}),
    previousExpiredTime: formatTime(expiry),
    newExpiredTime: formatTime(newExpiry),
  });
  if (token) ctx.state.orders.set(token, { orderId: charge.orderId, instanceId: id, fingerprint });
  ctx.state.extend(id, newExpiry);
  return { OrderId: charge.orderId };
};
