// Elasticity assurances (`eap-…`): DescribeElasticityAssurances, Describe/ModifyElasticityAssuranceAutoRenewAttribute,
// RenewElasticityAssurances; ids go as PrivatePoolOptions.Id.N (50 a call for the auto-renew calls, 20 for
// a renewal). The auto-renew period is `Period`; a weekly renewal is spelled "Weekly". Not priced.

import type { Clients, SubscriptionFamily, SubscriptionInfo } from "./family";
import { readUnit, renewalStatusOf } from "./read";

/** DescribeElasticityAssurances of these (whatever their status), or of every one in the region; pages followed. */
async function describeAssurances(c: Clients, regionId: string, ids?: string[]): Promise<SubscriptionInfo[]> {
  const sdk = c.api.sdk();
  const out: SubscriptionInfo[] = [];
  let nextToken: string | undefined;
  do {
    const res = await c.api.call({ action: "DescribeElasticityAssurances", regionId, instanceIds: ids ?? [], noun: "elasticity assurance" }, (cl, rt) =>
      cl.describeElasticityAssurancesWithOptions(
        new sdk.DescribeElasticityAssurancesRequest({
          regionId,
          ...(ids ? { privatePoolOptions: new sdk.DescribeElasticityAssurancesRequestPrivatePoolOptions({ ids: JSON.stringify(ids) }), status: "All" } : {}),
          maxResults: 100,
          ...(nextToken ? { nextToken } : {}),
        }),
        rt as never,
      ),
    );
    for (const e of res.body?.elasticityAssuranceSet?.elasticityAssuranceItem ?? []) {
      // InstanceChargeType is that of the instances it reserves capacity for; the assurance itself is a subscription.
      if (e.privatePoolOptionsId) out.push({ id: e.privatePoolOptionsId, regionId: e.regionId ?? regionId, expiredTime: e.endTime || undefined, chargeType: "PrePaid", status: e.status ?? "Unknown", lockReasons: [], tags: {} });
    }
    nextToken = res.body?.nextToken || undefined;
  } while (nextToken);
  return out;
}

const AUTO_RENEW = { Month: [1], Year: [1, 3, 5] } as const;
const RENEW = { Week: [1, 2, 3], Month: [1, 2, 3, 4, 5, 6, 7, 8, 9], Year: [1, 2, 3, 4, 5] } as const;

export const ELASTICITY_ASSURANCE: SubscriptionFamily = {
  kind: "elasticityAssurance",
  resource: "ElasticityAssuranceRenewal",
  idInput: "elasticityAssuranceId",
  noun: "elasticity assurance",
  product: "ECS",
  id: { pattern: /^eap-[0-9a-z]{4,}$/, prefix: "eap-", example: "eap-bp67acfmxazb4ph", what: "an elasticity assurance id" },
  settings: {
    read: "DescribeElasticityAssuranceAutoRenewAttribute",
    write: "ModifyElasticityAssuranceAutoRenewAttribute",
    describe: "DescribeElasticityAssurances",
    statuses: ["AutoRenewal", "Normal", "NotRenewal"],
    durations: { china: AUTO_RENEW, international: AUTO_RENEW },
    units: ["Month", "Year"],
    batch: { read: 50, write: 50, describe: 100 },
  },
  renewal: { action: "RenewElasticityAssurances", periods: { china: RENEW, international: RENEW }, units: ["Month", "Year", "Week"], priceable: false },
  api: {
    describe: (c, regionId, ids) => describeAssurances(c, regionId, ids),
    list: (c, regionId) => describeAssurances(c, regionId),
    async readSettings(c, regionId, ids) {
      const sdk = c.api.sdk();
      const res = await c.api.call({ action: "DescribeElasticityAssuranceAutoRenewAttribute", regionId, instanceIds: ids, noun: "elasticity assurance" }, (cl, rt) =>
        cl.describeElasticityAssuranceAutoRenewAttributeWithOptions(
          new sdk.DescribeElasticityAssuranceAutoRenewAttributeRequest({ regionId, privatePoolOptions: new sdk.DescribeElasticityAssuranceAutoRenewAttributeRequestPrivatePoolOptions({ id: ids }) }),
          rt as never,
        ),
      );
      return (res.body?.elasticityAssuranceRenewAttributes?.elasticityAssuranceRenewAttribute ?? []).flatMap((a) => {
        if (!a.privatePoolOptionsId) return [];
        const status = renewalStatusOf(a.renewalStatus);
        return [{ id: a.privatePoolOptionsId, autoRenewEnabled: status === "AutoRenewal", renewalStatus: status, duration: a.period ?? 0, periodUnit: readUnit(a.periodUnit) }];
      });
    },
    async writeSettings(c, regionId, ids, s) {
      const sdk = c.api.sdk();
      const auto = s.renewalStatus === "AutoRenewal";
      await c.api.call({ action: "ModifyElasticityAssuranceAutoRenewAttribute", regionId, instanceIds: ids, noun: "elasticity assurance" }, (cl, rt) =>
        cl.modifyElasticityAssuranceAutoRenewAttributeWithOptions(
          new sdk.ModifyElasticityAssuranceAutoRenewAttributeRequest({
            regionId,
            privatePoolOptions: new sdk.ModifyElasticityAssuranceAutoRenewAttributeRequestPrivatePoolOptions({ id: ids }),
            renewalStatus: s.renewalStatus,
            ...(auto ? { period: s.duration, periodUnit: s.periodUnit } : {}),
          }),
          rt as never,
        ),
      );
    },
    async renew(c, regionId, o, retryable) {
      const sdk = c.api.sdk();
      const res = await c.api.call(
        { action: "RenewElasticityAssurances", regionId, instanceIds: [o.id], noun: "elasticity assurance" },
        (cl, rt) =>
          cl.renewElasticityAssurancesWithOptions(
            new sdk.RenewElasticityAssurancesRequest({
              regionId,
              privatePoolOptions: new sdk.RenewElasticityAssurancesRequestPrivatePoolOptions({ id: [o.id] }),
              period: o.period,
              periodUnit: o.periodUnit === "Week" ? "Weekly" : o.periodUnit,
              clientToken: o.clientToken,
            }),
            rt as never,
          ),
        retryable,
      );
      return { orderId: res.body?.orderId ?? "" };
    },
  },
};
