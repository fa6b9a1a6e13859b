// ECS instances (`i-…`): DescribeInstances, Describe/ModifyInstanceAutoRenewAttribute, RenewInstance.
// The value sets are the ones InstanceRenewal and ManualRenewal have always checked (ecs/value-sets.ts).

import { AUTO_RENEW_DURATIONS, RENEW_PERIODS } from "../ecs/value-sets";
import type { SubscriptionFamily } from "./family";

export const INSTANCE: SubscriptionFamily = {
  kind: "instance",
  resource: "InstanceRenewal",
  idInput: "instanceId",
  noun: "instance",
  product: "ECS",
  id: { pattern: /^i-[0-9a-z]{4,}$/, prefix: "i-", example: "i-bp67acfmxazb4ph1", what: "an ECS instance id" },
  settings: {
    read: "DescribeInstanceAutoRenewAttribute",
    write: "ModifyInstanceAutoRenewAttribute",
    describe: "DescribeInstances",
    statuses: ["AutoRenewal", "Normal", "NotRenewal"],
    durations: AUTO_RENEW_DURATIONS,
    units: ["Month", "Year", "Week"],
    batch: { read: 100, write: 100, describe: 100 },
    deductionLeadDays: 9,
  },
  renewal: { action: "RenewInstance", periods: RENEW_PERIODS, units: ["Month", "Week"], priceable: true },
  api: {
    describe: (c, regionId, ids) => c.api.describeInstances(regionId, { instanceIds: ids }),
    readSettings: async (c, regionId, ids) => [...(await c.api.describeRenewAttributes(regionId, ids)).values()],
    writeSettings: (c, regionId, ids, s) => c.api.modifyAutoRenew(regionId, ids, { renewalStatus: s.renewalStatus, duration: s.duration, periodUnit: s.periodUnit }),
    renew: (c, regionId, o, retryable) => c.api.renewInstance(regionId, { instanceId: o.id, clientToken: o.clientToken, period: o.period, periodUnit: o.periodUnit as "Month" | "Week" | undefined, expectedRenewDay: o.expectedRenewDay }, retryable),
  },
};
