// A subscription (PrePaid) instance and its renewal, declared together. The instance resource buys the
// first period; InstanceRenewal keeps it from lapsing afterwards (changing `period` on an existing
// alicloud.ecs.Instance renews nothing).
//
// The instance resource has renewal settings of its own (renewalStatus, default "Normal"; autoRenewPeriod,
// default 1), reads them back on refresh and writes them with ModifyInstanceAutoRenewAttribute when they
// differ. Left to manage renewalStatus next to an InstanceRenewal, it would see AutoRenewal after a refresh
// and set "Normal" back, and the renewal would set AutoRenewal again: the setting flips on every
// `pulumi up --refresh`. So the instance ignores renewalStatus, and InstanceRenewal alone turns auto-renew
// on and off. autoRenewPeriod stays managed, at the renewal's months: the instance only writes it while
// auto-renew is on, so equal values never fight, and an ignored one would keep the 0 a refresh reads while
// auto-renew is off, which the instance's check rejects on every later `pulumi up`.

import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { InstanceRenewal } from "pulumi-alicloud-renewal";

const config = new pulumi.Config();
const autoRenewMonths = config.getNumber("autoRenewMonths") ?? 1;

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
    autoRenewPeriod: autoRenewMonths,
  },
  { ignoreChanges: ["renewalStatus"] },
);

const renewal = new InstanceRenewal("web-renewal", {
  instanceId: web.id,
  renewalStatus: "AutoRenewal",
  duration: autoRenewMonths,
  periodUnit: "Month",
});

export const instanceId = web.id;
export const expiredTime = renewal.expiredTime;
export const nextAutoRenewDeduction = renewal.nextAutoRenewDeduction;
