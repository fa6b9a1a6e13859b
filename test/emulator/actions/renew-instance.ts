import { ApiError, missing } from "../errors";
import { formatTime } from "../state";
import { INSTANCE_ID, instanceIn, intParam, requirePrePaid, requireWritable, type Action } from "./common";
import { quoteRenewal, validateRenewal } from "./renewal";

export const renewInstance: Action = (ctx) => {
  const id = ctx.params.get("InstanceId");
  if (!id) throw missing("InstanceId", 403);
  ctx.instanceIds = [id];
  if (!INSTANCE_ID.test(id)) throw new ApiError(403, "InvalidParameter.InvalidInstanceId", `The specified InstanceId is not valid: ${id}.`);
  requireWritable(ctx);
  const token = ctx.params.get("ClientToken");
  ctx.clientToken = token;
  if (token !== undefined && (token.length > 64 || !/^[\x20-\x7e]*$/.test(token))) {
    throw new ApiError(400, "InvalidClientToken.Malformed", "ClientToken must be at most 64 ASCII characters.");
  }
  const req = {
    period: intParam(ctx, "Period", "InvalidPeriod"),
    unit: ctx.params.get("PeriodUnit") ?? "Month",
    expectedRenewDay: intParam(ctx, "ExpectedRenewDay"),
  };
  if (req.period === undefined && req.expectedRenewDay === undefined) throw missing("Period");
  const fingerprint = JSON.stringify([id, req.period ?? null, req.expectedRenewDay === undefined ? req.unit : null, req.expectedRenewDay ?? null]);

  // Same token, same parameters: the first order, charged once.
  if (token) {
    const earlier = ctx.state.orders.get(token);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        throw new ApiError(400, "IdempotentParameterMismatch", "The request uses the same client token as a previous, but non-identical request.");
      }
      return { OrderId: earlier.orderId };
    }
  }

  const inst = instanceIn(ctx, undefined, id);
  requirePrePaid(inst);
  if (inst.renewalStatus === "NotRenewal") {
    throw new ApiError(403, "IncorrectInstanceStatus", `The instance ${id} is set to NotRenewal (expire without renewal); set its renewal status to Normal first.`);
  }
  validateRenewal(inst, req);
  if (ctx.state.processing(id)) throw new ApiError(400, "LastOrderProcessing", "The previous order is still processing, please try again later.");

  const now = ctx.state.now();
  const expiry = ctx.state.expiryOf(id);
  const { newExpiry, amount } = quoteRenewal(inst, expiry, now, req);
  const charge = ctx.state.charge({
    instanceId: id,
    kind: "renew",
    ...(req.expectedRenewDay !== undefined ? { expectedRenewDay: req.expectedRenewDay } : { period: req.period, periodUnit: req.unit }),
    amount,
    clientToken: token,
    previousExpiredTime: formatTime(expiry),
    newExpiredTime: formatTime(newExpiry),
  });
  if (token) ctx.state.orders.set(token, { orderId: charge.orderId, instanceId: id, fingerprint });
  ctx.state.extend(id, newExpiry);
  return { OrderId: charge.orderId };
};
