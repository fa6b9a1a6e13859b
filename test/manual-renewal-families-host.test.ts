// ManualRenewal of a dedicated host, a reserved instance and an elasticity assurance through the real
// dynamic-provider host against the emulator, step by step as the engine calls its children: one order
// per intent with a ClientToken (never a second charge, even after a lost answer), the family's periods
// checked in check, maxPrice refused where the family cannot be priced, and the rule that ties instances
// to their dedicated host.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type FleetFile } from "./emulator";
import type { ProviderHost } from "./engine/host";
import { childUrn, manualRenewalShims, ORDER_TYPE as ORDER, PLAN_TYPE as PLAN, startRenewalHost } from "./support/manual-renewal-host";

const urn = (type: string, name: string) => childUrn("test", type, name);
type Props = Record<string, unknown>;

const FLEET: FleetFile = {
  balance: 1_000_000,
  instances: [{ instanceId: "i-bp1onhost000001", expiresInDays: 10, dedicatedHostId: "dh-bp1host00000003", monthlyPrice: 100 }],
  dedicatedHosts: [
    { dedicatedHostId: "dh-bp1host00000001", expiresInDays: 10, monthlyPrice: 900 },
    { dedicatedHostId: "dh-bp1host00000002", expiresInDays: 10, monthlyPrice: 900 },
    { dedicatedHostId: "dh-bp1host00000003", expiresInDays: 45, monthlyPrice: 900 },
    { dedicatedHostId: "dh-bp1host00000004", expiresInDays: 30, renewalStatus: "NotRenewal", monthlyPrice: 900 },
  ],
  reservedInstances: [{ reservedInstanceId: "ecsri-bp1ri0000001", expiresInDays: 10, monthlyPrice: 60 }],
  elasticityAssurances: [{ elasticityAssuranceId: "eap-bp1ea00000001", expiresInDays: 10, monthlyPrice: 40 }],
};

let emulator: Emulator;
let host: ProviderHost;
let shims: Record<string, string>;

/** The engine's steps for a new ManualRenewal: the plan (check, create), then the order (check, create). */
async function renew(name: string, args: Props, on: ProviderHost = host): Promise<Props> {
  const scope = `renewal/test/${name}`;
  const { onlyIfExpiresWithinDays: _o, maxPrice: _m, ...identity } = args;
  const plan = await on.check(urn(PLAN, `${name}-plan`), {}, { ...identity, scope, __provider: shims[PLAN] });
  if (plan.failures.length) throw new Error(plan.failures.map((f) => f.reason).join("; "));
  const plannedFrom = (await on.create(urn(PLAN, `${name}-plan`), plan.inputs)).properties.plannedFromExpiredTime as string;
  return order(name, args, plannedFrom, on);
}

/** The order's steps alone, with the plan state holds (a re-run after a crash between the charge and the state write). */
async function order(name: string, args: Props, plannedFrom: string, on: ProviderHost = host): Promise<Props> {
  const checked = await on.check(urn(ORDER, `${name}-order`), {}, { ...args, scope: `renewal/test/${name}`, plannedFromExpiredTime: plannedFrom, __provider: shims[ORDER] });
  if (checked.failures.length) throw new Error(checked.failures.map((f) => f.reason).join("; "));
  return (await on.create(urn(ORDER, `${name}-order`), checked.inputs)).properties;
}

const checkOrder = (args: Props) => host.check(urn(ORDER, "checked-order"), {}, { ...args, scope: "renewal/test/checked", __provider: shims[ORDER] });
const charges = (id: string) => emulator.ledger().filter((c) => c.kind === "renew" && c.instanceId === id);

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true, expiryVisibilityDelayMs: 50 });
  shims = await manualRenewalShims();
  host = await startRenewalHost(emulator, 3000);
});
// Each test starts from the fleet above, so none depends on what ran before it.
beforeEach(async () => {
  await emulator.idle();
  emulator.reset(FLEET);
});
afterAll(async () => {
  await host?.kill();
  await emulator?.idle();
  await emulator?.close();
});

describe.each([
  { family: "dedicated host", key: "dedicatedHostId", id: "dh-bp1host00000001", intent: { period: 1, periodUnit: "Month" }, action: "RenewDedicatedHosts", amount: 900 },
  { family: "reserved instance", key: "reservedInstanceId", id: "ecsri-bp1ri0000001", intent: { period: 1, periodUnit: "Year" }, action: "RenewReservedInstances", amount: 612 },
  { family: "elasticity assurance", key: "elasticityAssuranceId", id: "eap-bp1ea00000001", intent: { period: 2, periodUnit: "Month" }, action: "RenewElasticityAssurances", amount: 80 },
])("ManualRenewal of a $family", (c) => {
  it("orders once with a ClientToken; the same declaration again orders nothing", async () => {
    const before = emulator.family(c.id)!.expiredTime;
    const out = await renew(`once-${c.key}`, { [c.key]: c.id, ...c.intent });
    const [charge] = charges(c.id);
    expect(charges(c.id)).toHaveLength(1);
    expect(charge).toMatchObject({ family: expect.any(String), amount: c.amount, clientToken: out.clientToken });
    expect(out).toMatchObject({ [c.key]: c.id, skipped: false, orderId: charge.orderId, previousExpiredTime: before, expiredTime: charge.newExpiredTime, confirmed: true });
    expect(out.price).toBeUndefined();
    expect(emulator.calls().filter((k) => k.action === c.action)).toHaveLength(1);
    // A re-run of the same declaration after a crash between the charge and the state write: the plan in
    // state sees the renewal in the expiry and orders nothing, not even with the same token.
    const again = await order(`once-${c.key}`, { [c.key]: c.id, ...c.intent }, before);
    expect(charges(c.id)).toHaveLength(1);
    expect(again).toMatchObject({ skipped: true, reason: expect.stringMatching(/^already renewed/) });
    expect(emulator.calls().filter((k) => k.action === c.action)).toHaveLength(1);
  });

  it("check refuses maxPrice (this family cannot be priced) and the unified expiration day, naming what to do", async () => {
    const priced = await checkOrder({ [c.key]: c.id, ...c.intent, maxPrice: 100 });
    expect(priced.failures.map((f) => f.reason)).toEqual([expect.stringMatching(new RegExp(`^maxPrice: 100 cannot be checked for a ${c.family}: DescribeRenewalPrice prices ECS instances only`))]);
    const unified = await checkOrder({ [c.key]: c.id, expectedRenewDay: 5 });
    expect(unified.failures.map((f) => f.reason)).toEqual([expect.stringMatching(new RegExp(`^expectedRenewDay: 5 is not allowed for a ${c.family}: ${c.action} renews by period only`))]);
  });
});

describe("check, per family", () => {
  it("takes exactly one subscription id", async () => {
    const none = await checkOrder({ period: 1 });
    expect(none.failures.map((f) => f.reason)).toEqual([
      'instanceId: nothing is set; it is required (an ECS instance id such as "i-bp67acfmxazb4ph1"); to renew a dedicated host, reserved instance or elasticity assurance, give dedicatedHostId, reservedInstanceId or elasticityAssuranceId instead',
    ]);
    const two = await checkOrder({ instanceId: "i-bp1onhost000001", dedicatedHostId: "dh-bp1host00000001" });
    expect(two.failures[0]).toMatchObject({ property: "dedicatedHostId", reason: expect.stringContaining("cannot be combined with instanceId; a ManualRenewal renews one subscription") });
  });

  it("checks the family's own periods and units for the account's site", async () => {
    expect((await checkOrder({ reservedInstanceId: "ecsri-bp1ri0000001", period: 2, periodUnit: "Year" })).failures.map((f) => f.reason)).toEqual(['period: 2 is not allowed with periodUnit "Year"; use one of 1, 3, 5']);
    expect((await checkOrder({ reservedInstanceId: "ecsri-bp1ri0000001", period: 1, periodUnit: "Week" })).failures.map((f) => f.reason)).toEqual([
      'periodUnit: "Week" is not allowed; use one of "Month", "Year" (RenewReservedInstances renews by Month or Year; use ensureExpiresAfter for a date)',
    ]);
    expect((await checkOrder({ elasticityAssuranceId: "eap-bp1ea00000001", period: 4, periodUnit: "Week" })).failures.map((f) => f.reason)).toEqual(['period: 4 is not allowed with periodUnit "Week"; use one of 1, 2, 3']);
    expect((await checkOrder({ dedicatedHostId: "dh-bp1host00000001", period: 2, periodUnit: "Year" })).failures).toEqual([]);
  });
});

describe("refusals and lost answers", () => {
  it("a host set to NotRenewal is refused before any charge, saying to set it to Normal first", async () => {
    await expect(renew("not-renewal", { dedicatedHostId: "dh-bp1host00000004", period: 1 })).rejects.toThrow(/^Dedicated host dh-bp1host00000004 is set to NotRenewal .* Nothing was charged\. .*a DedicatedHostRenewal with renewalStatus "Normal"/);
    expect(charges("dh-bp1host00000004")).toEqual([]);
  });

  it("an answer lost after the order went through: the same token again, one charge, the expiry says it is done", async () => {
    emulator.faults.add({ action: "RenewDedicatedHosts", kind: "apply-then-fail", drop: true, times: 1 });
    const out = await renew("lost", { dedicatedHostId: "dh-bp1host00000002", period: 1 });
    const calls = emulator.calls().filter((k) => k.action === "RenewDedicatedHosts" && k.instanceIds.includes("dh-bp1host00000002"));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(calls.map((k) => k.clientToken))).toEqual(new Set([out.clientToken]));
    expect(charges("dh-bp1host00000002")).toHaveLength(1);
    expect(out).toMatchObject({ skipped: false, expiredTime: charges("dh-bp1host00000002")[0].newExpiredTime });
  });
});

describe("an instance on a dedicated host", () => {
  it("is not renewed past the host's expiry: refused before any charge, naming the host and its expiry", async () => {
    const hostExpiry = emulator.family("dh-bp1host00000003")!.expiredTime;
    await expect(renew("past-host", { instanceId: "i-bp1onhost000001", period: 2 })).rejects.toThrow(
      new RegExp(`^Renewing instance i-bp1onhost000001 \\(renew by 2 Months\\) would make it expire at .*, after its dedicated host dh-bp1host00000003, which expires at ${hostExpiry}: an instance cannot be renewed past its host's expiry\\. Nothing was charged\\. Renew the host first`),
    );
    expect(charges("i-bp1onhost000001")).toEqual([]);
    expect(emulator.calls().filter((k) => k.action === "RenewInstance")).toEqual([]);
  });

  it("within the host's expiry it renews; once the host is renewed, further", async () => {
    const out = await renew("within-host", { instanceId: "i-bp1onhost000001", period: 1 });
    expect(out).toMatchObject({ skipped: false, confirmed: true });
    await renew("host-first", { dedicatedHostId: "dh-bp1host00000003", period: 3 });
    const further = await renew("past-host-later", { instanceId: "i-bp1onhost000001", period: 2 });
    expect(further).toMatchObject({ skipped: false, confirmed: true });
    expect(charges("i-bp1onhost000001")).toHaveLength(2);
  });
});
