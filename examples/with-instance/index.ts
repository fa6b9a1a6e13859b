// A subscription (PrePaid) instance and its renewal, declared together. The instance resource buys the
// first period; InstanceRenewal keeps it from lapsing afterwards (changing `period` on an existing
// alicloud.ecs.Instance renews nothing).
//
// The instance resource has renewal settings of its own (renewalStatus, default "Normal"; autoRenewPeriod,
// default 1), reads them back on refresh and writes them with ModifyInstanceAutoRenewAttribute when they
// differ. Left to manage them next to an InstanceRenewal, it would see AutoRenewal after a refresh and set
// "Normal" back, and the renewal would set AutoRenewal again: every `pulumi up --refresh` flips the
// setting twice. So the instance ignores its renewal attributes, and InstanceRenewal alone owns them.

import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { InstanceRenewal } from "pulumi-alicloud-renewal";

const config = new pulumi.Config();

const web = new alicloud.ecs.Instance(
  "web",
  {
    instanceName: "web",
    instanceType: config.get("instanceType") ?? "ecs.g7.large",
    imageId: config.get("imageId") ?? "aliyun_3_x64_20G_alibase_20240528.vhd",
    vswitchId: config.require("vswitchId"),
    securityGroups: [config.require("securityGroupId")],
    instanceChargeType: "PrePaid",
    period: 1,
    periodUnit: "Month",
    tags: { app: "web" },
  },
  { ignoreChanges: ["renewalStatus", "autoRenewPeriod"] },
);

const renewal = new InstanceRenewal("web-renewal", {
  instanceId: web.id,
  renewalStatus: "AutoRenewal",
  duration: config.getNumber("autoRenewMonths") ?? 1,
  periodUnit: "Month",
});

export const instanceId = web.id;
export const expiredTime = renewal.expiredTime;
export const nextAutoRenewDeduction = renewal.nextAutoRenewDeduction;
