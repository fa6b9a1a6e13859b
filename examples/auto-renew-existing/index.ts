// Keep a list of existing subscription instances on auto-renew.
//
//   pulumi config set alicloud:region cn-hangzhou
//   pulumi config set --path 'instanceIds[0]' i-bp67acfmxazb4ph1
//   pulumi config set autoRenewDuration 3        # optional, months
//   pulumi up
//
// Removing an id from the list puts that instance's renewal settings back as they were found.

import * as pulumi from "@pulumi/pulumi";
import { InstanceRenewal } from "pulumi-alicloud-renewal";

const config = new pulumi.Config();
const instanceIds = config.requireObject<string[]>("instanceIds");
const duration = config.getNumber("autoRenewDuration") ?? 1;
const periodUnit = (config.get("autoRenewPeriodUnit") ?? "Month") as "Month" | "Year" | "Week";

const renewals = instanceIds.map(
  (instanceId) => new InstanceRenewal(`auto-renew-${instanceId}`, { instanceId, renewalStatus: "AutoRenewal", duration, periodUnit }),
);

/** What a reviewer wants to see after `pulumi up`: each instance, its expiry and its next deduction. */
export const instances = renewals.map((r) =>
  pulumi.all([r.instanceId, r.expiredTime, r.nextAutoRenewDeduction, r.warning]).apply(([id, expiredTime, nextDeduction, warning]) => ({
    id,
    expiredTime,
    nextDeduction: nextDeduction ?? null,
    warning: warning ?? null,
  })),
);
