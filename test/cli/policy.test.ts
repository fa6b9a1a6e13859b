// The policy pack under the real CLI: `pulumi preview --policy-pack <node_modules/pulumi-alicloud-renewal/policy>`
// of fixtures/policy-stacks, which keeps every rule or breaks those named in its `breaks` config, against
// the emulator. What is asserted is what a reviewer reads in the CLI's output (rule, level, resource, the
// fix) and the exit code. The pack runs through the language-host front (test/language-host/README.md:
// the 3.68 host the build has cannot run policy packs). The local engine runs no policy packs, so this file
// has no local-engine half.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FLEET, startEmulator, type Emulator } from "../emulator";
import { useLanguageHostFront } from "../language-host";
import { emulatorEnv, writes } from "./scenario";
import { CliStack, type CliRun } from "./stack";
import { ROOT } from "./support";

const PROJECT = path.join(__dirname, "fixtures", "policy-stacks");
const PACK = path.join(ROOT, "node_modules", "pulumi-alicloud-renewal", "policy");
const INSTANCE = "alicloud:ecs/instance:Instance";
const RENEWAL = "pulumi-nodejs:dynamic/alicloud-renewal:InstanceRenewal";
const ORDER = "pulumi-nodejs:dynamic/alicloud-renewal:RenewalOrder";

type Break = "plan" | "owner" | "price" | "tags";
/** Each rule the fixture can break: the violation the CLI prints, and words of the fix its message gives. */
const RULES: Record<Break, { violation: string; fix: string }> = {
  plan: { violation: `prepaid-instance-has-renewal-plan advisory ${INSTANCE}: lonely`, fix: 'Declare an InstanceRenewal for it (new InstanceRenewal("lonely-renewal"' },
  owner: { violation: `renewal-settings-have-one-owner advisory ${INSTANCE}: web`, fix: 'Add ignoreChanges: ["renewalStatus"] to the instance\'s resource options' },
  price: { violation: `manual-renewal-has-max-price advisory ${ORDER}: urgent-order`, fix: 'ManualRenewal "urgent" has no maxPrice' },
  tags: { violation: `no-not-renewal-on-tagged-instances advisory ${RENEWAL}: db-renewal`, fix: 'InstanceRenewal "db-renewal" sets alicloud.ecs.Instance "db" (tagged env=prod) to "NotRenewal"' },
};

/** The violations the CLI printed under "Policies:", as "policy level type: name". */
function violations(stdout: string): string[] {
  const line = /^\s*- \[(advisory|mandatory)\] (?:\[severity: \w+\]\s+)?(\S+)\s+\((.+)\)\s*$/gm;
  return [...stdout.matchAll(line)].map((m) => `${m[2]} ${m[1]} ${m[3]}`).sort();
}

describe("the policy pack in pulumi preview, under the real CLI", () => {
  let emulator: Emulator;
  let stack: CliStack;
  let configs = 0;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: DEMO_FLEET, quiet: true });
    stack = await CliStack.create(PROJECT, { env: emulatorEnv(emulator) });
    useLanguageHostFront(stack.projectDir);
  });
  afterAll(async () => {
    await emulator?.close();
    stack?.remove();
  });

  /** `pulumi preview --policy-pack PACK` of the stack breaking `breaks`, with the pack config `config` if given. */
  async function preview(breaks: Break[], config?: Record<string, unknown>): Promise<CliRun> {
    await stack.configSet("breaks", breaks.join(","));
    const args = ["--policy-pack", PACK];
    if (config) {
      const file = path.join(stack.dir, `policy-config-${++configs}.json`);
      fs.writeFileSync(file, JSON.stringify(config));
      args.push("--policy-pack-config", file);
    }
    emulator.clearCalls();
    return stack.run("preview", { args });
  }

  it("a stack that keeps every rule passes, with the pack loaded and nothing reported", async () => {
    const run = await preview([]);
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    expect(run.stdout).toContain(`alicloud-renewal@v0.1.0 (local: ${PACK})`);
    expect(violations(run.stdout)).toEqual([]);
    expect(writes(emulator.calls())).toEqual([]);
  });

  for (const rule of Object.keys(RULES) as Break[]) {
    it(`a stack that breaks one rule (${rule}) gets that rule reported on the resource, with the fix, and passes (advisory)`, async () => {
      const run = await preview([rule]);
      expect(run.ok, run.stdout + run.stderr).toBe(true);
      expect(violations(run.stdout)).toEqual([RULES[rule].violation]);
      expect(run.stdout).toContain(RULES[rule].fix);
    });
  }

  it("a stack that breaks all four gets all four reported, and passes (advisory)", async () => {
    const run = await preview(["plan", "owner", "price", "tags"]);
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    expect(violations(run.stdout)).toEqual(Object.values(RULES).map((r) => r.violation).sort());
  });

  it("a stack rule set to mandatory in the pack's config fails the preview; the others stay advisory", async () => {
    const run = await preview(["plan", "owner", "price", "tags"], { "renewal-settings-have-one-owner": "mandatory" });
    expect(run.ok, run.stdout + run.stderr).toBe(false);
    expect(run.code).not.toBe(0);
    const expected = Object.values(RULES).map((r) => r.violation.replace("renewal-settings-have-one-owner advisory", "renewal-settings-have-one-owner mandatory"));
    expect(violations(run.stdout)).toEqual(expected.sort());
  });

  it("a resource rule set to mandatory fails the preview of the stack that breaks it", async () => {
    const run = await preview(["price"], { "manual-renewal-has-max-price": { enforcementLevel: "mandatory" } });
    expect(run.ok, run.stdout + run.stderr).toBe(false);
    expect(violations(run.stdout)).toEqual([RULES.price.violation.replace("advisory", "mandatory")]);
    expect(writes(emulator.calls())).toEqual([]);
  });

  it("the tag pattern comes from the pack's config: env=production leaves the env=prod instance unflagged", async () => {
    const run = await preview(["tags"], { "no-not-renewal-on-tagged-instances": { enforcementLevel: "mandatory", tagPattern: "env=production" } });
    expect(run.ok, run.stdout + run.stderr).toBe(true);
    expect(violations(run.stdout)).toEqual([]);
  });
});
