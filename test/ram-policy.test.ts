// The shipped RAM policy (provider/ram-policy.json) is, statement by statement, exactly what each resource
// calls, as the family descriptions say: InstanceRenewal; ManualRenewal of an instance; then per family its
// settings resource and ManualRenewal of it; the EMR cluster fee. The README shows the same policy.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FAMILIES } from "../provider/families";
import type { SubscriptionFamily } from "../provider/families/family";

const ROOT = path.resolve(__dirname, "..");
const policy = JSON.parse(fs.readFileSync(path.join(ROOT, "provider", "ram-policy.json"), "utf8")) as { Version: string; Statement: Array<{ Effect: string; Action: string[]; Resource: string }> };

const ram = (family: SubscriptionFamily, action: string) => `${family.product.toLowerCase()}:${action}`;
/** What a family's settings resource calls, and its renewal call where ManualRenewal renews it. */
const settingsCalls = (f: SubscriptionFamily) => [...new Set([f.settings.describe, f.settings.read, f.settings.write])].map((a) => ram(f, a));

describe("provider/ram-policy.json", () => {
  it("has one statement per resource, each exactly the actions that resource calls", () => {
    const { instance, dedicatedHost, reservedInstance, elasticityAssurance, emrCluster } = FAMILIES;
    const expected = [
      // InstanceRenewal: DescribeInstanceAttribute confirms an instance DescribeInstances did not list.
      [...settingsCalls(instance).slice(0, 1), "ecs:DescribeInstanceAttribute", ...settingsCalls(instance).slice(1)],
      // ManualRenewal of an instance: its expiry and status, its price, the order, and its dedicated host's expiry.
      ["ecs:DescribeInstances", "ecs:DescribeInstanceAttribute", "ecs:DescribeInstanceAutoRenewAttribute", "ecs:DescribeRenewalPrice", ram(instance, instance.renewal!.action), ram(dedicatedHost, dedicatedHost.settings.describe)],
      ...[dedicatedHost, reservedInstance, elasticityAssurance].map((f) => [...settingsCalls(f), ram(f, f.renewal!.action)]),
      settingsCalls(emrCluster),
    ];
    expect(policy.Statement.map((s) => s.Action)).toEqual(expected);
    for (const s of policy.Statement) expect(s).toMatchObject({ Effect: "Allow", Resource: "*" });
  });

  it("is the policy the README shows", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const block = /## Least-privilege RAM policy[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block && JSON.parse(block)).toEqual(policy);
  });
});
