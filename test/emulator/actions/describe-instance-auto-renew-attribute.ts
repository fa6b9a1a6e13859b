// DescribeInstanceAutoRenewAttribute: by comma-joined ids and/or RenewalStatus, paged.
import { ApiError, documented } from "../errors";
import type { InstanceRecord } from "../state";
import { commaIds, pageParams, regionOf, requirePrePaid, type Action } from "./common";

const STATUSES = ["AutoRenewal", "Normal", "NotRenewal"];

/**
 * How the unit reads back. The reference's response table gives "week" as PeriodUnit's example while its
 * JSON example says "Week": weekly auto-renew answers "week", so a client comparing units by case fails here
 * as it could against the real API.
 */
const shownUnit = (unit: string) => (unit === "Week" ? "week" : unit);

export const describeInstanceAutoRenewAttribute: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = commaIds(ctx, false);
  const filter = ctx.params.get("RenewalStatus") || undefined;
  if (ids.length === 0 && !filter) throw documented(403, "InvalidParameter.RenewalStatusInstanceId");
  if (filter && !STATUSES.includes(filter)) throw new ApiError(403, "InvalidParameter.RenewalStatus", "The specified parameter RenewalStatus is not valid.");
  const { pageNumber, pageSize } = pageParams(ctx);

  // Ids that are unknown in this region are left out, as the real API does. The API is for subscription
  // instances only ("an error is returned if you call this operation on pay-as-you-go instances"), so a
  // Pay-As-You-Go id anywhere in the batch fails the call with ChargeTypeViolation, whose documented message
  // does not say which id it was.
  const candidates: InstanceRecord[] =
    ids.length > 0
      ? ids.flatMap((id) => {
          const inst = ctx.state.visible(id);
          return inst && inst.regionId === region ? [inst] : [];
        })
      : [...ctx.state.instances.values()].filter((i) => i.regionId === region && i.instanceChargeType === "PrePaid").sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  for (const inst of candidates) requirePrePaid(inst, "autoRenew");
  const matched = candidates.filter((i) => !filter || i.renewalStatus === filter);
  const page = matched.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    TotalCount: matched.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    InstanceRenewAttributes: {
      InstanceRenewAttribute: page.map((i) => ({
        InstanceId: i.instanceId,
        AutoRenewEnabled: i.renewalStatus === "AutoRenewal",
        // Seen in the real API: Duration 0 while auto-renew is off.
        Duration: i.renewalStatus === "AutoRenewal" ? i.duration : 0,
        PeriodUnit: shownUnit(i.periodUnit),
        RenewalStatus: i.renewalStatus,
      })),
    },
  };
};
