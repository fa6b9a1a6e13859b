// The policy pack this package ships: what `pulumi preview --policy-pack node_modules/pulumi-alicloud-renewal/policy`
// runs (policy/package.json names this file as its main). Constructing the PolicyPack starts its gRPC server
// and prints the port for the CLI; the version comes from policy/package.json, read from the working
// directory the CLI starts the pack in.

import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, renewalPolicies } from "./index";

new PolicyPack(POLICY_PACK_NAME, {
  description: "Keeps Alibaba Cloud subscription instances from lapsing: renewal plans, one owner for the renewal settings, price guards.",
  enforcementLevel: "advisory",
  policies: renewalPolicies,
});
