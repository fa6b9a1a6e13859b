// Reserved instances (`ecsri-…`): DescribeReservedInstances, Describe/ModifyReservedInstanceAutoRenewAttribute,
// RenewReservedInstances; ids go as ReservedInstanceId.N. Value sets: the SDK model per site. No
// NotRenewal (the write takes AutoRenewal and Normal only); only an Active one may change its settings.
// Not priced: DescribeRenewalPrice prices instances only.

import type { Clients, SubscriptionFamily, SubscriptionInfo } from "./family";
import { lockReasonsOf, readUnit, renewalStatusOf } from "./read";

/** DescribeReservedInstances of these, or of every reserved instance in the region; pages followed. */
async function describeReserved(c: Clients, regionId: string, ids?: string[]): Promise<SubscriptionInfo[]> {
  const sdk = c.api.sdk();
  const out: SubscriptionInfo[] = [];
  for (let page = 1; ; page++) {
    const res = await c.api.call({ action: "DescribeReservedInstances", regionId, instanceIds: ids ?? [], noun: "reserved instance" }, (cl, rt) =>
      cl.describeReservedInstancesWithOptions(new sdk.DescribeReservedInstancesRequest({ regionId, ...(ids ? { reservedInstanceId: ids } : {}), pageSize: 100, pageNumber: page }), rt as never),
    );
    for (const r of res.body?.reservedInstances?.reservedInstance ?? []) {
      if (r.reservedInstanceId) out.push({ id: r.reservedInstanceId, regionId: r.regionId ?? regionId, expiredTime: r.expiredTime || undefined, chargeType: "PrePaid", status: r.status ?? "Unknown", lockReasons: lockReasonsOf(r.operationLocks?.operationLock), tags: {} });
    }
    if (page * 100 >= (res.body?.totalCount ?? 0)) break;
  }
  return out;
}

const PERIODS = { china: { Month: [1], Year: [1, 3, 5] }, international: { Year: [1, 3] } } as const;

export const RESERVED_INSTANCE: SubscriptionFamily = {
  kind: "reservedInstance",
  resource: "ReservedInstanceRenewal",
  idInput: "reservedInstanceId",
  noun: "reserved instance",
  product: "ECS",
  id: { pattern: /^ecsri-[0-9a-z]{4,}$/, prefix: "ecsri-", example: "ecsri-2ze53qonjqxg7r", what: "a reserved instance id" },
  settings: {
    read: "DescribeReservedInstanceAutoRenewAttribute",
    write: "ModifyReservedInstanceAutoRenewAttribute",
    describe: "DescribeReservedInstances",
    statuses: ["AutoRenewal", "Normal"],
    durations: PERIODS,
    units: ["Month", "Year"],
    batch: { read: 100, write: 100, describe: 100 },
    activeStatus: "Active",
  },
  renewal: { action: "RenewReservedInstances", periods: PERIODS, units: ["Month", "Year"], priceable: false },
  api: {
    describe: (c, regionId, ids) => describeReserved(c, regionId, ids),
    list: (c, regionId) => describeReserved(c, regionId),
    async readSettings(c, regionId, ids) {
      const sdk = c.api.sdk();
      const res = await c.api.call({ action: "DescribeReservedInstanceAutoRenewAttribute", regionId, instanceIds: ids, noun: "reserved instance" }, (cl, rt) =>
        cl.describeReservedInstanceAutoRenewAttributeWithOptions(new sdk.DescribeReservedInstanceAutoRenewAttributeRequest({ regionId, reservedInstanceId: ids }), rt as never),
      );
      return (res.body?.reservedInstanceRenewAttributes?.reservedInstanceRenewAttribute ?? []).flatMap((a) => {
        if (!a.reservedInstanceId) return [];
        const status = renewalStatusOf(a.renewalStatus);
        return [{ id: a.reservedInstanceId, autoRenewEnabled: status === "AutoRenewal", renewalStatus: status, duration: a.duration ?? 0, periodUnit: readUnit(a.periodUnit) }];
      });
    },
    async writeSettings(c, regionId, ids, s) {
      const sdk = c.api.sdk();
      const auto = s.renewalStatus === "AutoRenewal";
      await c.api.call({ action: "ModifyReservedInstanceAutoRenewAttribute", regionId, instanceIds: ids, noun: "reserved instance" }, (cl, rt) =>
        cl.modifyReservedInstanceAutoRenewAttributeWithOptions(
          new sdk.ModifyReservedInstanceAutoRenewAttributeRequest({ regionId, reservedInstanceId: ids, renewalStatus: s.renewalStatus, ...(auto ? { period: s.duration, periodUnit: s.periodUnit } : {}) }),
          rt as never,
        ),
      );
    },
    async renew(c, regionId, o, retryable) {
      const sdk = c.api.sdk();
      const res = await c.api.call(
        { action: "RenewReservedInstances", regionId, instanceIds: [o.id], noun: "reserved instance" },
        (cl, rt) => cl.renewReservedInstancesWithOptions(new sdk.RenewReservedInstancesRequest({ regionId, reservedInstanceId: [o.id], period: o.period, periodUnit: o.periodUnit, clientToken: o.clientToken }), rt as never),
        retryable,
      );
      return { orderId: res.body?.orderId ?? "" };
    },
  },
};
