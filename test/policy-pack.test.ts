// The policy pack as the package ships it: the folder users pass to `--policy-pack` holds a PulumiPolicy.yaml
// and starts as a pack, answers the engine's Analyzer calls (info, config, per-resource and stack analysis)
// through @pulumi/policy's own server, and `npm pack` puts it in the tarball.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTANCE, INSTANCE_RENEWAL, MANUAL_RENEWAL, RENEWAL_ORDER } from "../provider/policy/index";
import { UNKNOWN_VALUE } from "./support/policy-args";
import { PACK_DIR, startPolicyPack, type RunningPack, type StackResource } from "./support/policy-pack";

const urn = (type: string, name: string, parentType?: string) => `urn:pulumi:dev::shop::${parentType ? `${parentType}$` : ""}${type}::${name}`;
const PROVIDER = path.resolve(__dirname, "..", "provider");

/** A stack that breaks each rule once: an uncovered subscription instance, an instance fighting its renewal, a prod instance set to NotRenewal. */
const breaking: StackResource[] = [
  { type: INSTANCE, urn: urn(INSTANCE, "lonely"), props: { instanceChargeType: "PrePaid", renewalStatus: "Normal", autoRenewPeriod: 1, id: UNKNOWN_VALUE } },
  { type: INSTANCE, urn: urn(INSTANCE, "web"), props: { instanceChargeType: "PrePaid", renewalStatus: "Normal", autoRenewPeriod: 1, tags: { env: "prod" }, id: UNKNOWN_VALUE } },
  {
    type: INSTANCE_RENEWAL,
    urn: urn(INSTANCE_RENEWAL, "web-renewal"),
    props: { instanceId: UNKNOWN_VALUE, regionId: "cn-hangzhou", renewalStatus: "NotRenewal", duration: 1, periodUnit: "Month", onDelete: "restore" },
    propertyDependencies: { instanceId: [urn(INSTANCE, "web")] },
  },
];
const order: StackResource = {
  type: RENEWAL_ORDER,
  urn: urn(RENEWAL_ORDER, "urgent-order", MANUAL_RENEWAL),
  parent: urn(MANUAL_RENEWAL, "urgent"),
  props: { instanceId: "i-bp1demo000000000004", regionId: "cn-hangzhou", period: 1, periodUnit: "Month", scope: "shop/dev/urgent" },
};

describe("the shipped policy pack", () => {
  let pack: RunningPack;
  beforeAll(async () => {
    pack = await startPolicyPack();
  });
  afterAll(async () => {
    await pack?.stop();
  });

  it("is a Node.js policy pack whose version is the package's", async () => {
    expect(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    const info = await pack.info();
    expect(info.name).toBe("alicloud-renewal");
    expect(info.version).toBe(JSON.parse(fs.readFileSync(path.join(PROVIDER, "package.json"), "utf8")).version);
    expect(info.policies.map((p) => `${p.name} ${p.level}`)).toEqual([
      "prepaid-instance-has-renewal-plan advisory",
      "renewal-settings-have-one-owner advisory",
      "manual-renewal-has-max-price advisory",
      "no-not-renewal-on-tagged-instances advisory",
    ]);
    expect(info.policies[3].configSchema).toMatchObject({ tagPattern: { type: "string", default: "env=prod" } });
  });

  it("reports every rule a stack breaks, advisory, on the resource concerned, values unknown in preview included", async () => {
    await pack.configure({});
    const stack = await pack.analyzeStack([...breaking, order]);
    expect(stack.map((d) => `${d.policy} ${d.level} ${d.urn.split("::").pop()}`)).toEqual([
      "prepaid-instance-has-renewal-plan advisory lonely",
      "renewal-settings-have-one-owner advisory web",
      "no-not-renewal-on-tagged-instances advisory web-renewal",
    ]);
    expect(stack.every((d) => !d.message.includes("can't run"))).toBe(true);
    // A resource's diagnostic carries no URN: the engine reports it on the resource it asked about.
    expect(await pack.analyze(order)).toEqual([{ policy: "manual-renewal-has-max-price", level: "advisory", urn: "", message: expect.stringContaining('ManualRenewal "urgent" has no maxPrice') }]);
  });

  it("takes enforcement levels and the tag pattern from the pack's config", async () => {
    await pack.configure({
      "manual-renewal-has-max-price": "mandatory",
      "prepaid-instance-has-renewal-plan": "disabled",
      "no-not-renewal-on-tagged-instances": { enforcementLevel: "mandatory", tagPattern: "env=production" },
    });
    expect((await pack.analyze(order)).map((d) => d.level)).toEqual(["mandatory"]);
    expect((await pack.analyzeStack(breaking)).map((d) => d.policy)).toEqual(["renewal-settings-have-one-owner"]);
    const production = breaking.map((r) => (r.urn.endsWith("::web") ? { ...r, props: { ...r.props, tags: { env: "production" } } } : r));
    expect((await pack.analyzeStack(production)).filter((d) => d.policy === "no-not-renewal-on-tagged-instances").map((d) => d.level)).toEqual(["mandatory"]);
  });

  it("passes a stack that keeps every rule", async () => {
    await pack.configure({});
    const clean = [
      { ...breaking[1], ignoreChanges: ["renewalStatus"] },
      { ...breaking[2], props: { ...breaking[2].props, renewalStatus: "AutoRenewal" } },
      { ...order, props: { ...order.props, maxPrice: 500 } },
    ];
    expect(await pack.analyzeStack(clean)).toEqual([]);
    expect(await pack.analyze(clean[2])).toEqual([]);
  });
});

describe("the package tarball", () => {
  it("ships the pack folder and the compiled policies", () => {
    const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: PROVIDER, encoding: "utf8" })) as Array<{ files: Array<{ path: string }> }>;
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["policy/PulumiPolicy.yaml", "policy/package.json", "dist/policy/pack.js", "dist/policy/index.js", "dist/policy/index.d.ts"]));
    expect(files.filter((f) => f.startsWith("policy/"))).toHaveLength(2);
  });
});
