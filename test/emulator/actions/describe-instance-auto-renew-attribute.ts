// DescribeInstanceAutoRenewAttribute: by comma-joined ids and/or RenewalStatus, paged.
import { ApiError } from "../errors";
import { commaIds, pageParams, regionOf, requirePrePaid, type Action } from "./common";
import type { InstanceRecord } from "../state";

const STATUSES = ["AutoRenewal", "Normal", "NotRenewal"];

export const describeInstanceAutoRenewAttribute: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = commaIds(ctx, false);
  const filter = ctx.params.get("RenewalStatus") || undefined;
  if (ids.length === 0 && !filter) throw new ApiError(403, "MissingParameter.InstanceId", "InstanceId and RenewalStatus cannot both be empty.");
  if (filter && !STATUSES.includes(filter)) throw new ApiError(403, "InvalidParameter.RenewalStatus", `The specified RenewalStatus is not valid: ${filter}; use AutoRenewal, Normal or NotRenewal.`);
  const { pageNumber, pageSize } = pageParams(ctx);

  // Ids that are unknown in this region are left out, as the real API does. The API is for subscription
  // instances only ("an error is returned if you call this operation on pay-as-you-go instances"), so a
  // Pay-As-You-Go id anywhere in the batch fails the call with ChargeTypeViolation naming it.
  const candidates: InstanceRecord[] =
    ids.length > 0
      ? ids.flatMap((id) => {
          const inst = ctx.state.visible(id);
          return inst && inst.regionId === region ? [inst] : [];
        })
      : [...ctx.state.instances.values()].filter((i) => i.regionId === region && i.instanceChargeType === "PrePaid").sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  for (const inst of candidates) requirePrePaid(inst);
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
        PeriodUnit: i.periodUnit,
        RenewalStatus: i.renewalStatus,
      })),
    },
  };
};
