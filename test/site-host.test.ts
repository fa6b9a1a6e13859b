// The account's site through the real dynamic-provider host: with stack config alicloud-renewal:site
// international, check refuses in preview what that site's API refuses (Week, RenewInstance beyond 12
// months); the default site, china, takes them; a site that is none fails every check saying so.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InstanceRenewal, ManualRenewal } from "pulumi-alicloud-renewal";
import { startProviderHost, type ProviderHost } from "./engine/host";
import { SITE_BAD_INPUTS } from "./support/bad-inputs";
import { captureRegistrations } from "./support/serialized-provider";

const ROOT = path.resolve(__dirname, "..");
const urn = "urn:pulumi:s::p::t::n";
let shims: Record<"InstanceRenewal" | "ManualRenewal", string>;
const hosts: ProviderHost[] = [];
let international: ProviderHost;
let china: ProviderHost;

async function hostFor(config: Record<string, string>): Promise<ProviderHost> {
  const host = await startProviderHost({ cwd: ROOT, env: { ...process.env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" } });
  hosts.push(host);
  await host.configure({ "alicloud:region": "cn-hangzhou", ...config });
  return host;
}

const check = (host: ProviderHost, resource: keyof typeof shims, inputs: Record<string, unknown>) =>
  host.check(urn, {}, { ...(resource === "ManualRenewal" ? { instanceId: "i-bp1demo000000000001", scope: "p/s/n" } : {}), ...inputs, __provider: shims[resource] });

beforeAll(async () => {
  const regs = await captureRegistrations(() => {
    new InstanceRenewal("a", { instanceId: "i-bp1demo000000000001" });
    new ManualRenewal("b", { instanceId: "i-bp1demo000000000001" });
  }, (seen) => seen.some((x) => x.type.endsWith(":RenewalOrder")));
  shims = {
    InstanceRenewal: regs.find((x) => x.type.endsWith(":InstanceRenewal"))!.inputs.__provider as string,
    ManualRenewal: regs.find((x) => x.type.endsWith(":RenewalOrder"))!.inputs.__provider as string,
  };
  [international, china] = await Promise.all([hostFor({ "alicloud-renewal:site": "international" }), hostFor({})]);
});
afterAll(async () => {
  for (const h of hosts) await h.kill();
});

describe("alicloud-renewal:site", () => {
  it.each(SITE_BAD_INPUTS)("%s: refused at check on the international site, taken on the china site (the default), listed in the README", async (name, resource, inputs, property, words) => {
    const { failures } = await check(international, resource, inputs);
    const f = failures.find((x) => x.property === property);
    expect(f, JSON.stringify(failures)).toBeDefined();
    for (const w of words) expect(f!.reason).toContain(w);
    expect((await check(china, resource, inputs)).failures).toEqual([]);
    expect(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"), `README catalogue row for "${name}"`).toContain(`| ${name} |`);
  });

  it("the international site takes what it allows: auto-renew by Year, renewals of 1–9 and 12 months", async () => {
    expect((await check(international, "InstanceRenewal", { instanceId: "i-bp1demo000000000001", periodUnit: "Year", duration: 5 })).failures).toEqual([]);
    for (const period of [1, 9, 12]) expect((await check(international, "ManualRenewal", { period })).failures).toEqual([]);
  });

  it("a site that is none fails every check, saying which setting and what it may be", async () => {
    const host = await hostFor({ "alicloud-renewal:site": "moon" });
    for (const resource of ["InstanceRenewal", "ManualRenewal"] as const) {
      const { failures } = await check(host, resource, { instanceId: "i-bp1demo000000000001" });
      expect(failures).toEqual([{ property: "", reason: 'stack config alicloud-renewal:site: "moon" is not an Alibaba Cloud site; use "china" (aliyun.com accounts, the default) or "international" (alibabacloud.com accounts)' }]);
    }
  });
});
