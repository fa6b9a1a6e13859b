// The policy pack's four rules on crafted stacks: what each reports, on which resource, and what it leaves
// alone; values unknown during preview (an instance's id before it exists) never stop a rule from judging.
import { describe, expect, it } from "vitest";
import {
  hasRenewalPlan,
  INSTANCE,
  INSTANCE_RENEWAL,
  MANUAL_RENEWAL,
  maxPrice,
  oneOwner,
  RENEWAL_ORDER,
  renewalPolicies,
  taggedNotRenewal,
} from "../provider/policy/index";
import { runResourcePolicy, runStackPolicy, UNKNOWN_VALUE, urnOf, type Crafted } from "./support/policy-args";

/** A subscription instance as the bridged provider's check leaves its inputs (defaults filled in), id not known yet. */
const instance = (name: string, props: Record<string, unknown> = {}, more: Partial<Crafted> = {}): Crafted => ({
  type: INSTANCE,
  name,
  props: { instanceChargeType: "PrePaid", renewalStatus: "Normal", autoRenewPeriod: 1, tags: { app: name }, id: UNKNOWN_VALUE, ...props },
  ...more,
});

/** An InstanceRenewal whose instanceId is `<instance>.id` (checked inputs: defaults filled in). */
const renewalOf = (instanceName: string, props: Record<string, unknown> = {}, name = `${instanceName}-renewal`): Crafted => ({
  type: INSTANCE_RENEWAL,
  name,
  props: { instanceId: UNKNOWN_VALUE, regionId: "cn-hangzhou", renewalStatus: "AutoRenewal", duration: 1, periodUnit: "Month", onDelete: "restore", ...props },
  dependsOn: { instanceId: [instanceName] },
});

const COEXISTING = { ignoreChanges: ["renewalStatus"] };

describe("prepaid-instance-has-renewal-plan", () => {
  it("reports a subscription instance with neither an InstanceRenewal nor its own AutoRenewal, on the instance, with the fix", async () => {
    const violations = await runStackPolicy(hasRenewalPlan, [instance("web")]);
    expect(violations).toEqual([{ urn: urnOf(INSTANCE, "web"), message: expect.stringContaining('alicloud.ecs.Instance "web" is a subscription (PrePaid) instance with no renewal plan') }]);
    expect(violations[0].message).toContain("released 15 days later");
    expect(violations[0].message).toContain('new InstanceRenewal("web-renewal", { instanceId: <instance>.id })');
    expect(violations[0].message).toContain('renewalStatus: "AutoRenewal"');
  });

  it("accepts an InstanceRenewal that takes its instanceId from the instance, while the id is unknown in preview", async () => {
    expect(await runStackPolicy(hasRenewalPlan, [instance("web", {}, COEXISTING), renewalOf("web")])).toEqual([]);
  });

  it("accepts an InstanceRenewal naming the instance's id as a literal, and not one naming another instance", async () => {
    const known = instance("web", { id: "i-bp1web0000000001" });
    const literal = (id: string): Crafted => ({ ...renewalOf("web", { instanceId: id }), dependsOn: {} });
    expect(await runStackPolicy(hasRenewalPlan, [known, literal("i-bp1web0000000001")])).toEqual([]);
    expect(await runStackPolicy(hasRenewalPlan, [known, literal("i-bp1other00000001")])).toHaveLength(1);
  });

  it("accepts the instance's own renewalStatus AutoRenewal, and does not judge one unknown in preview", async () => {
    expect(await runStackPolicy(hasRenewalPlan, [instance("web", { renewalStatus: "AutoRenewal" })])).toEqual([]);
    expect(await runStackPolicy(hasRenewalPlan, [instance("web", { renewalStatus: UNKNOWN_VALUE })])).toEqual([]);
  });

  it("leaves Pay-As-You-Go instances alone, the bridged default charge type included, and does not judge an unknown one", async () => {
    const resources = [
      instance("payg", { instanceChargeType: "PostPaid" }),
      instance("default", { instanceChargeType: undefined }),
      instance("computed", { instanceChargeType: UNKNOWN_VALUE }),
    ];
    expect(await runStackPolicy(hasRenewalPlan, resources)).toEqual([]);
  });

  it("reports each uncovered instance once, and only those", async () => {
    const violations = await runStackPolicy(hasRenewalPlan, [instance("web", {}, COEXISTING), renewalOf("web"), instance("db"), instance("cache")]);
    expect(violations.map((v) => v.urn)).toEqual([urnOf(INSTANCE, "db"), urnOf(INSTANCE, "cache")]);
  });
});

describe("renewal-settings-have-one-owner", () => {
  it("reports an instance that still manages renewalStatus next to an InstanceRenewal, naming both and the ignoreChanges fix", async () => {
    const violations = await runStackPolicy(oneOwner, [instance("web"), renewalOf("web")]);
    expect(violations).toHaveLength(1);
    expect(violations[0].urn).toBe(urnOf(INSTANCE, "web"));
    expect(violations[0].message).toContain('alicloud.ecs.Instance "web" still manages renewalStatus, which InstanceRenewal "web-renewal" manages too');
    expect(violations[0].message).toContain('wants its own renewalStatus ("Normal") back');
    expect(violations[0].message).toContain("pulumi up --refresh");
    expect(violations[0].message).toContain('Add ignoreChanges: ["renewalStatus"] to the instance\'s resource options');
  });

  it("reports an instance that ignores autoRenewPeriod too: the 0 a refresh reads while auto-renew is off would fail its check", async () => {
    const both = { ignoreChanges: ["renewalStatus", "autoRenewPeriod"] };
    const [v, ...rest] = await runStackPolicy(oneOwner, [instance("web", { autoRenewPeriod: 3 }, both), renewalOf("web", { duration: 3 })]);
    expect(rest).toEqual([]);
    expect(v.urn).toBe(urnOf(INSTANCE, "web"));
    expect(v.message).toContain('alicloud.ecs.Instance "web" ignores autoRenewPeriod: once a refresh reads auto-renew off (Duration 0)');
    expect(v.message).toContain("Ignore renewalStatus only, and set autoRenewPeriod: 3 on the instance.");
    // ignoreChanges: ["*"] ignores it as well.
    expect(await runStackPolicy(oneOwner, [instance("web", {}, { ignoreChanges: ["*"] }), renewalOf("web")])).toHaveLength(1);
  });

  it("reports an autoRenewPeriod other than the renewal's months (Year counted as 12), the default 1 included", async () => {
    const [v] = await runStackPolicy(oneOwner, [instance("web", {}, COEXISTING), renewalOf("web", { duration: 3 })]);
    expect(v.message).toContain('alicloud.ecs.Instance "web" has autoRenewPeriod 1 (1 unless set) while InstanceRenewal "web-renewal" renews by 3 months');
    expect(v.message).toContain("Set autoRenewPeriod: 3 on the instance.");
    expect(await runStackPolicy(oneOwner, [instance("web", { autoRenewPeriod: 12 }, COEXISTING), renewalOf("web", { duration: 1, periodUnit: "Year" })])).toEqual([]);
    expect(await runStackPolicy(oneOwner, [instance("web", { autoRenewPeriod: 3 }, COEXISTING), renewalOf("web", { duration: 1, periodUnit: "Year" })])).toHaveLength(1);
  });

  it("does not judge a period it cannot compare: unknown in preview, by Week, or a renewal that does not auto-renew", async () => {
    const cases: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      [{ autoRenewPeriod: UNKNOWN_VALUE }, { duration: 3 }],
      [{}, { duration: UNKNOWN_VALUE }],
      [{}, { duration: 2, periodUnit: "Week" }],
      [{}, { duration: 3, renewalStatus: "Normal" }],
    ];
    for (const [own, renewal] of cases) expect(await runStackPolicy(oneOwner, [instance("web", own, COEXISTING), renewalOf("web", renewal)])).toEqual([]);
  });

  it("accepts an instance that ignores renewalStatus and keeps autoRenewPeriod at the renewal's months", async () => {
    expect(await runStackPolicy(oneOwner, [instance("web", {}, COEXISTING), renewalOf("web")])).toEqual([]);
    expect(await runStackPolicy(oneOwner, [instance("web", { autoRenewPeriod: 6 }, COEXISTING), renewalOf("web", { duration: 6 })])).toEqual([]);
  });

  it("says nothing about an instance without an InstanceRenewal (it owns its settings alone)", async () => {
    expect(await runStackPolicy(oneOwner, [instance("web", { renewalStatus: "AutoRenewal" })])).toEqual([]);
  });

  it("reports a second InstanceRenewal for the same instance, on that renewal", async () => {
    const violations = await runStackPolicy(oneOwner, [instance("web", {}, COEXISTING), renewalOf("web"), renewalOf("web", { duration: 12 }, "web-yearly")]);
    expect(violations).toEqual([
      {
        urn: urnOf(INSTANCE_RENEWAL, "web-yearly"),
        message: 'InstanceRenewal "web-yearly" and InstanceRenewal "web-renewal" both manage the renewal settings of alicloud.ecs.Instance "web": each update undoes the other\'s. Keep one InstanceRenewal per instance.',
      },
    ]);
  });
});

describe("manual-renewal-has-max-price", () => {
  const order = (props: Record<string, unknown>): Crafted => ({
    type: RENEWAL_ORDER,
    name: "urgent-order",
    parent: urnOf(MANUAL_RENEWAL, "urgent"),
    props: { instanceId: "i-bp1demo000000000004", regionId: "cn-hangzhou", period: 1, periodUnit: "Month", scope: "shop/dev/urgent", ...props },
  });

  it("reports a ManualRenewal without maxPrice by the component's name, with the fix", async () => {
    expect(await runResourcePolicy(maxPrice, order({}))).toEqual([
      `ManualRenewal "urgent" has no maxPrice: its RenewInstance order is charged whatever ECS asks. Set maxPrice (in the account's currency; the preview shows the price in the quote input) so a renewal that costs more is refused before anything is charged.`,
    ]);
  });

  it("accepts a maxPrice, also one not known until the update", async () => {
    expect(await runResourcePolicy(maxPrice, order({ maxPrice: 500 }))).toEqual([]);
    expect(await runResourcePolicy(maxPrice, order({ maxPrice: UNKNOWN_VALUE }))).toEqual([]);
  });

  it("judges only the order: the plan and other resources carry no price", async () => {
    expect(await runResourcePolicy(maxPrice, { ...order({}), type: "pulumi-nodejs:dynamic/alicloud-renewal:RenewalPlan", name: "urgent-plan" })).toEqual([]);
    expect(await runResourcePolicy(maxPrice, renewalOf("web"))).toEqual([]);
  });
});

describe("no-not-renewal-on-tagged-instances", () => {
  const prod = (props: Record<string, unknown> = {}, more: Partial<Crafted> = {}) => instance("db", { tags: { env: "prod", app: "db" }, ...props }, { ...COEXISTING, ...more });

  it("reports a prod-tagged instance set to NotRenewal by its own renewalStatus, on the instance", async () => {
    const violations = await runStackPolicy(taggedNotRenewal, [prod({ renewalStatus: "NotRenewal" })]);
    expect(violations).toHaveLength(1);
    expect(violations[0].urn).toBe(urnOf(INSTANCE, "db"));
    expect(violations[0].message).toContain('alicloud.ecs.Instance "db" (tagged env=prod) has renewalStatus "NotRenewal": it will expire without renewal and be released 15 days later.');
    expect(violations[0].message).toContain('Set the instance\'s renewalStatus to "AutoRenewal" (or "Normal" to renew by hand), or declare an InstanceRenewal for it; if the instance is meant to lapse, change its tags first.');
  });

  it("reports an InstanceRenewal that sets it to NotRenewal, or would on delete, on the renewal", async () => {
    const status = await runStackPolicy(taggedNotRenewal, [prod(), renewalOf("db", { renewalStatus: "NotRenewal" })]);
    expect(status).toEqual([{ urn: urnOf(INSTANCE_RENEWAL, "db-renewal"), message: expect.stringContaining('InstanceRenewal "db-renewal" sets alicloud.ecs.Instance "db" (tagged env=prod) to "NotRenewal"') }]);
    expect(status[0].message).toContain('Set the renewal\'s renewalStatus to "AutoRenewal" (the default) or "Normal" (renew by hand)');
    const onDelete = await runStackPolicy(taggedNotRenewal, [prod(), renewalOf("db", { onDelete: "NotRenewal" })]);
    expect(onDelete).toEqual([{ urn: urnOf(INSTANCE_RENEWAL, "db-renewal"), message: expect.stringContaining('has onDelete: "NotRenewal": deleting it (or destroying the stack) leaves') }]);
    expect(onDelete[0].message).toContain('Use onDelete: "restore" (the default) or "Normal"');
  });

  it("leaves instances alone whose tags do not match, and settings other than NotRenewal", async () => {
    expect(await runStackPolicy(taggedNotRenewal, [instance("staging", { renewalStatus: "NotRenewal", tags: { env: "staging" } })])).toEqual([]);
    expect(await runStackPolicy(taggedNotRenewal, [prod(), renewalOf("db", { renewalStatus: "Normal", onDelete: "Normal" })])).toEqual([]);
  });

  it("takes the pattern from config: key=value, * as a wildcard, several separated by commas, case-sensitive", async () => {
    const config = { tagPattern: "env=production,tier=critical*" };
    const stack = [
      instance("a", { renewalStatus: "NotRenewal", tags: { tier: "critical-db" } }),
      instance("b", { renewalStatus: "NotRenewal", tags: { env: "production" } }),
      instance("c", { renewalStatus: "NotRenewal", tags: { env: "prod" } }),
      instance("d", { renewalStatus: "NotRenewal", tags: { Tier: "critical" } }),
    ];
    const violations = await runStackPolicy(taggedNotRenewal, stack, config);
    expect(violations.map((v) => v.urn)).toEqual([urnOf(INSTANCE, "a"), urnOf(INSTANCE, "b")]);
    expect(violations[0].message).toContain("(tagged tier=critical-db)");
  });

  it("judges the known tags when some are unknown in preview, and nothing when all are", async () => {
    const someUnknown = await runStackPolicy(taggedNotRenewal, [prod({ renewalStatus: "NotRenewal", tags: { owner: UNKNOWN_VALUE, env: "prod" } })]);
    expect(someUnknown).toHaveLength(1);
    expect(await runStackPolicy(taggedNotRenewal, [prod({ renewalStatus: "NotRenewal", tags: UNKNOWN_VALUE })])).toEqual([]);
  });
});

describe("the pack's policies", () => {
  it("are the four rules, each advisory by default, the tag pattern defaulting to env=prod in the config schema", () => {
    expect(renewalPolicies.map((p) => [p.name, p.enforcementLevel])).toEqual([
      ["prepaid-instance-has-renewal-plan", "advisory"],
      ["renewal-settings-have-one-owner", "advisory"],
      ["manual-renewal-has-max-price", "advisory"],
      ["no-not-renewal-on-tagged-instances", "advisory"],
    ]);
    expect(taggedNotRenewal.configSchema?.properties.tagPattern).toMatchObject({ type: "string", default: "env=prod" });
  });
});
