// One renewal per intent, never two charges for it.
//
// "urgent" renews by one month, but only while the instance expires within 15 days (the console's
// urgent-renewal view). Once renewed, re-running `pulumi up` orders nothing: the same ClientToken gets
// the first order back, and the instance is no longer inside the window anyway. Change renewalKey to
// ask for another renewal deliberately.
//
// "keep-until" (optional) makes the instance expire after a date by the smallest monthly period that
// reaches it, or does nothing when it already does.

import * as pulumi from "@pulumi/pulumi";
import { ManualRenewal } from "pulumi-alicloud-renewal";

const config = new pulumi.Config();
const instanceId = config.require("instanceId");

const urgent = new ManualRenewal("urgent", {
  instanceId,
  period: 1,
  periodUnit: "Month",
  onlyIfExpiresWithinDays: 15,
  maxPrice: config.getNumber("maxPrice") ?? 1000,
  renewalKey: config.get("renewalKey"),
});

const keepUntil = config.get("keepUntil");
const kept = keepUntil ? new ManualRenewal("keep-until", { instanceId, ensureExpiresAfter: keepUntil }) : undefined;

export const urgentOrder = { orderId: urgent.orderId, skipped: urgent.skipped, reason: urgent.reason, expiredTime: urgent.expiredTime, price: urgent.price };
export const keepUntilOrder = kept ? { orderId: kept.orderId, skipped: kept.skipped, reason: kept.reason, expiredTime: kept.expiredTime } : null;
