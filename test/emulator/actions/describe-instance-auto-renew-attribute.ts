import { ApiError } from "../errors";
import { commaIds, instanceIn, intParam, regionOf, requirePrePaid, type Action } from "./common";

const STATUSES = ["AutoRenewal", "Normal", "NotRenewal"];

export const describeInstanceAutoRenewAttribute: Action = (ctx) => {
  const region = regionOf(ctx);
  const ids = commaIds(ctx, false);
  const filter = ctx.params.get("RenewalStatus");
  if (ids.length === 0 && !filter) throw new ApiError(403, "MissingParameter.InstanceId", "InstanceId and RenewalStatus cannot both be empty.");
  if (filter && !STATUSES.includes(filter)) throw new ApiError(403, "InvalidParameter.RenewalStatus", `The specified RenewalStatus is not valid: ${filter}.`);
  const pageNumber = intParam(ctx, "PageNumber") ?? 1;
  const pageSize = intParam(ctx, "PageSize") ?? 10;
  if (pageNumber < 1) throw new ApiError(400, "InvalidParameter.PageNumber", "The specified PageNumber is not valid.");
  if (pageSize < 1 || pageSize > 100) throw new ApiError(400, "InvalidParameter.PageSize", "The specified PageSize is not valid: 1 to 100.");

  // Unknown ids are left out, as the real API does; a Pay-As-You-Go id is an error.
  const candidates =
    ids.length > 0
      ? ids.flatMap((id) => {
          try {
            return [instanceIn(ctx, region, id)];
          } catch {
            return [];
          }
        })
      : [...ctx.state.instances.values()].filter((i) => i.regionId === region && i.instanceChargeType === "PrePaid");
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
        Duration: i.renewalStatus === "AutoRenewal" ? i.duration : 0,
        PeriodUnit: i.periodUnit,
        RenewalStatus: i.renewalStatus,
      })),
    },
  };
};
