// One ManualRenewal, its intent and guard from stack config: the tests run it with periods ECS prices as
// years (12, 24 months), periods it cannot price (48 months), and orders whose new expiry shows late.
import * as pulumi from "@pulumi/pulumi";
import { ManualRenewal } from "pulumi-alicloud-renewal";

const config = new pulumi.Config();
// An empty maxPrice (a test dropping the guard from a stack) is no guard.
const maxPrice = config.get("maxPrice");
const renewal = new ManualRenewal("renewal", {
  instanceId: config.require("instanceId"),
  period: config.getNumber("period") ?? 1,
  periodUnit: (config.get("periodUnit") ?? "Month") as "Month" | "Week",
  maxPrice: maxPrice ? Number(maxPrice) : undefined,
});

export const order = pulumi.all([renewal.orderId, renewal.price, renewal.confirmed, renewal.reason, renewal.expiredTime]).apply(([orderId, price, confirmed, reason, expiredTime]) => ({
  orderId,
  price: price ?? null,
  confirmed: confirmed ?? null,
  reason,
  expiredTime,
}));
