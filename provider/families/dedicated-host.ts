// Dedicated hosts (`dh-…`): DescribeDedicatedHosts, DescribeDedicatedHostAutoRenew,
// ModifyDedicatedHostAutoRenewAttribute (with AutoRenewWithEcs), RenewDedicatedHosts. Value sets: the
// SDK model (@alicloud/ecs20140526 7.11) per site. Not priced: DescribeRenewalPrice prices instances only.

import type { Clients, SubscriptionFamily, SubscriptionInfo } from "./family";
import { chargeTypeOf, lockReasonsOf, readUnit, renewalStatusOf } from "./read";

const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60];

/** DescribeDedicatedHosts of these hosts, or of every host in the region; NextToken pages followed. */
async function describeHosts(c: Clients, regionId: string, ids?: string[]): Promise<SubscriptionInfo[]> {
  const sdk = c.api.sdk();
  const out: SubscriptionInfo[] = [];
  let nextToken: string | undefined;
  do {
    const res = await c.api.call({ action: "DescribeDedicatedHosts", regionId, instanceIds: ids ?? [], noun: "dedicated host" }, (cl, rt) =>
      cl.describeDedicatedHostsWithOptions(new sdk.DescribeDedicatedHostsRequest({ regionId, ...(ids ? { dedicatedHostIds: JSON.stringify(ids) } : {}), maxResults: 100, ...(nextToken ? { nextToken } : {}) }), rt as never),
    );
    for (const h of res.body?.dedicatedHosts?.dedicatedHost ?? []) {
      if (!h.dedicatedHostId) continue;
      out.push({ id: h.dedicatedHostId, regionId: h.regionId ?? regionId, expiredTime: h.expiredTime || undefined, chargeType: chargeTypeOf(h.chargeType), status: h.status ?? "Unknown", lockReasons: lockReasonsOf(h.operationLocks?.operationLock), tags: {} });
    }
    nextToken = res.body?.nextToken || undefined;
  } while (nextToken);
  return out;
}

export const DEDICATED_HOST: SubscriptionFamily = {
  kind: "dedicatedHost",
  resource: "DedicatedHostRenewal",
  idInput: "dedicatedHostId",
  noun: "dedicated host",
  product: "ECS",
  id: { pattern: /^dh-[0-9a-z]{4,}$/, prefix: "dh-", example: "dh-bp165p6xk2tlw61e", what: "a dedicated host id" },
  settings: {
    read: "DescribeDedicatedHostAutoRenew",
    write: "ModifyDedicatedHostAutoRenewAttribute",
    describe: "DescribeDedicatedHosts",
    statuses: ["AutoRenewal", "Normal", "NotRenewal"],
    durations: {
      china: { Month: [1, 2, 3, 6, 12, 24, 36, 48, 60], Year: [1, 2, 3, 4, 5], Week: [1, 2, 3, 4] },
      // As the SDK model documents it for the international site: Month 1 and 12, Year 1 and 12.
      international: { Month: [1, 12], Year: [1, 12] },
    },
    units: ["Month", "Year", "Week"],
    batch: { read: 100, write: 100, describe: 100 },
    deductionLeadDays: 9,
    extras: [{ name: "autoRenewWithEcs", values: ["AutoRenewWithEcs", "StopRenewWithEcs"], describe: "whether the host renews along with the subscription instances on it" }],
  },
  renewal: {
    action: "RenewDedicatedHosts",
    periods: { china: { Month: MONTHS, Year: [1, 2, 3, 4, 5], Week: [1, 2, 3, 4] }, international: { Month: MONTHS, Year: [1, 2, 3, 4, 5] } },
    units: ["Month", "Year", "Week"],
    priceable: false,
  },
  api: {
    describe: (c, regionId, ids) => describeHosts(c, regionId, ids),
    list: (c, regionId) => describeHosts(c, regionId),
    async readSettings(c, regionId, ids) {
      const sdk = c.api.sdk();
      const res = await c.api.call({ action: "DescribeDedicatedHostAutoRenew", regionId, instanceIds: ids, noun: "dedicated host" }, (cl, rt) =>
        cl.describeDedicatedHostAutoRenewWithOptions(new sdk.DescribeDedicatedHostAutoRenewRequest({ regionId, dedicatedHostIds: ids.join(",") }), rt as never),
      );
      return (res.body?.dedicatedHostRenewAttributes?.dedicatedHostRenewAttribute ?? []).flatMap((a) =>
        a.dedicatedHostId
          ? [{ id: a.dedicatedHostId, autoRenewEnabled: !!a.autoRenewEnabled, renewalStatus: renewalStatusOf(a.renewalStatus, a.autoRenewEnabled), duration: a.duration ?? 0, periodUnit: readUnit(a.periodUnit), ...(a.autoRenewWithEcs ? { autoRenewWithEcs: a.autoRenewWithEcs } : {}) }]
          : [],
      );
    },
    async writeSettings(c, regionId, ids, s) {
      const sdk = c.api.sdk();
      const auto = s.renewalStatus === "AutoRenewal";
      await c.api.call({ action: "ModifyDedicatedHostAutoRenewAttribute", regionId, instanceIds: ids, noun: "dedicated host" }, (cl, rt) =>
        cl.modifyDedicatedHostAutoRenewAttributeWithOptions(
          new sdk.ModifyDedicatedHostAutoRenewAttributeRequest({
            regionId,
            dedicatedHostIds: ids.join(","),
            renewalStatus: s.renewalStatus,
            autoRenew: auto,
            ...(auto ? { duration: s.duration, periodUnit: s.periodUnit } : {}),
            ...(s.autoRenewWithEcs ? { autoRenewWithEcs: s.autoRenewWithEcs } : {}),
          }),
          rt as never,
        ),
      );
    },
    async renew(c, regionId, o, retryable) {
      const sdk = c.api.sdk();
      const res = await c.api.call(
        { action: "RenewDedicatedHosts", regionId, instanceIds: [o.id], noun: "dedicated host" },
        (cl, rt) => cl.renewDedicatedHostsWithOptions(new sdk.RenewDedicatedHostsRequest({ regionId, dedicatedHostIds: o.id, period: o.period, periodUnit: o.periodUnit, clientToken: o.clientToken }), rt as never),
        retryable,
      );
      return { orderId: res.body?.orderId ?? "" };
    },
  },
};
