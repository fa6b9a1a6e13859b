// RenewInstance: one charging order per call, idempotent by ClientToken. The order is paid from the balance
// at once; the new expiry shows in reads only after the visibility delay, and until then another order for
// the instance is refused with LastOrderProcessing.
import { ApiError, malformedId, missing } from "../errors";
import { formatTime } from "../state";
import { INSTANCE_ID, instanceIn, requirePrePaid, type Action } from "./common";
import { quoteRenewal, readRenewal, validateForInstance, validateRenewal } from "./renewal";

export const renewInstance: Action = (ctx) => {
  const id = ctx.params.get("InstanceId");
  if (!id) throw missing("InstanceId", 403);
  ctx.instanceIds = [id];
  if (!INSTANCE_ID.test(id)) throw malformedId(id);
  const token = ctx.params.get("ClientToken") || undefined;
  ctx.clientToken = token;
  if (token !== undefined && (token.length > 64 || !/^[\x20-\x7e]+$/.test(token))) {
    throw new ApiError(400, "InvalidClientToken.ValueNotSupported", "The ClientToken provided is invalid: at most 64 ASCII characters.");
  }
  const req = readRenewal(ctx, "PeriodUnit");
  validateRenewal(req);
  // "The same request": same instance and same intent (PeriodUnit only counts when a Period is renewed).
  const fingerprint = JSON.stringify([id, req.period ?? null, req.expectedRenewDay === undefined ? req.unit : null, req.expectedRenewDay ?? null]);

  if (token) {
    const earlier = ctx.state.orders.get(token);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        throw new ApiError(400, "IdempotentParameterMismatch", `The request uses the same client token as a previous, but non-identical request (order ${earlier.orderId} for ${earlier.instanceId}).`);
      }
      return { OrderId: earlier.orderId }; // the first answer again; nothing is charged
    }
  }

  const inst = instanceIn(ctx, undefined, id);
  requirePrePaid(inst);
  if (inst.renewalStatus === "NotRenewal") {
    throw new ApiError(403, "IncorrectInstanceStatus", `The instance ${id} is set to NotRenewal (expire without renewal); set its RenewalStatus to Normal first (ModifyInstanceAutoRenewAttribute), then renew.`);
  }
  validateForInstance(inst, req);
  if (ctx.state.processing(id)) throw new ApiError(400, "LastOrderProcessing", `The previous order for ${id} is still being processed; try again later.`);

  const expiry = ctx.state.expiryOf(id);
  const { newExpiry, price } = quoteRenewal(inst, expiry, ctx.state.now(), req);
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
