// Every subscription instance the query returns gets an InstanceRenewal, so new instances are picked up
// on the next `pulumi up` and released ones drop out (their renewal resource is deleted, which touches
// nothing: the instance is gone).
//
//   pulumi config set alicloud:region cn-hangzhou
//   pulumi config set autoRenewMonths 1
//   pulumi config set --path 'selectTags.team' data   # optional: only instances with this tag

import * as pulumi from "@pulumi/pulumi";
import { getExpiringInstances, InstanceRenewal } from "pulumi-alicloud-renewal";

const config = new pulumi.Config();
const duration = config.getNumber("autoRenewMonths") ?? 1;
const selectTags = config.getObject<Record<string, string>>("selectTags");

export = async () => {
  const instances = await getExpiringInstances({ withinDays: Infinity, includeExpired: false, tags: selectTags });
  // Instances someone set to "expire without renewal" are left alone: that was a decision.
  const keep = instances.filter((i) => i.renewalStatus !== "NotRenewal");
  const renewals = keep.map(
    (i) => new InstanceRenewal(`auto-renew-${i.instanceId}`, { instanceId: i.instanceId, regionId: i.regionId, duration, periodUnit: "Month" }),
  );
  return {
    managed: renewals.length,
    leftAlone: instances.filter((i) => i.renewalStatus === "NotRenewal").map((i) => i.instanceId),
    atRiskBeforeThisRun: instances.filter((i) => i.atRisk).map((i) => `${i.instanceId} (${i.daysLeft} days)`),
  };
};
