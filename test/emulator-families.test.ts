// Emulator conformance for the subscription families beside instances, as README.md "Subscription
// families" documents them: through the official ECS SDK, and for E-MapReduce through @alicloud/openapi-core's
// generic client (no EMR SDK is on npm), on the same server under its own version.
import * as ecs from "@alicloud/ecs20140526";
import OpenApi, { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type FleetFile } from "./emulator";
import { ecsClient, sdkFailure, type EcsClient } from "./emulator/sdk";

const DAY = 86_400_000;
const FLEET: FleetFile = {
  instances: [
    { instanceId: "i-bp1onhost000001", expiresInDays: 30, renewalStatus: "AutoRenewal", duration: 1, dedicatedHostId: "dh-bp1host00000001" },
    { instanceId: "i-bp1emrnode00001", expiresInDays: 40 },
  ],
  dedicatedHosts: [
    { dedicatedHostId: "dh-bp1host00000001", expiresInDays: 33, monthlyPrice: 900 },
    { dedicatedHostId: "dh-bp1host00000002", chargeType: "PostPaid" },
  ],
  reservedInstances: [{ reservedInstanceId: "ecsri-bp1ri0000001", expiresInDays: 20, monthlyPrice: 60 }],
  elasticityAssurances: [{ elasticityAssuranceId: "eap-bp1ea00000001", expiresInDays: 20, monthlyPrice: 40 }],
  emrClusters: [{ clusterId: "c-bp1emr0000000001", expiresInDays: 50, nodes: ["i-bp1emrnode00001"] }],
};

let emulator: Emulator;
let client: EcsClient;
let emr: InstanceType<typeof OpenApi>;

/** One EMR 2021-03-20 RPC call, signed and sent as the provider's generic client sends it. */
function emrCall(action: string, query: Record<string, unknown>) {
  const params = new $OpenApiUtil.Params({ action, version: "2021-03-20", protocol: "HTTP", pathname: "/", method: "POST", authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "json" });
  return emr.callApi(params, new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query({ RegionId: "cn-hangzhou", ...query }) }), {} as never);
}

beforeAll(async () => {
  emulator = await startEmulator({ fleet: FLEET, quiet: true, expiryVisibilityDelayMs: 0 });
  client = ecsClient(emulator);
  emr = new OpenApi(new $OpenApiUtil.Config({ accessKeyId: "LTAIemulator", accessKeySecret: "emulator-secret", endpoint: emulator.endpoint, protocol: "http", regionId: "cn-hangzhou" }));
});
beforeEach(() => emulator.reset());
afterAll(async () => {
  await emulator.close();
});

describe("dedicated hosts", () => {
  it("answer their documented errors: missing and too many ids, a Pay-As-You-Go host, an unknown one", async () => {
    expect(await sdkFailure(client.describeDedicatedHostAutoRenew(new ecs.DescribeDedicatedHostAutoRenewRequest({ regionId: "cn-hangzhou", dedicatedHostIds: "" })))).toMatchObject({ code: "MissingParameter.DedicatedHostId", statusCode: 403 });
    const many = Array.from({ length: 101 }, (_, n) => `dh-bp1many${String(n).padStart(6, "0")}`).join(",");
    expect(await sdkFailure(client.modifyDedicatedHostAutoRenewAttribute(new ecs.ModifyDedicatedHostAutoRenewAttributeRequest({ regionId: "cn-hangzhou", dedicatedHostIds: many })))).toMatchObject({ code: "InvalidParameter.ToManyDedicatedHostIds", statusCode: 403 });
    expect(await sdkFailure(client.describeDedicatedHostAutoRenew(new ecs.DescribeDedicatedHostAutoRenewRequest({ regionId: "cn-hangzhou", dedicatedHostIds: "dh-bp1host00000001,dh-bp1host00000002" })))).toMatchObject({
      code: "ChargeTypeViolation",
      data: expect.objectContaining({ Message: "Pay-As-You-Go dedicated host do not support this operation." }),
    });
    expect(await sdkFailure(client.renewDedicatedHosts(new ecs.RenewDedicatedHostsRequest({ regionId: "cn-hangzhou", dedicatedHostIds: "dh-bp1nosuch00001", period: 1 })))).toMatchObject({ code: "InvalidDedicatedHostId.NotFound", statusCode: 400 });
  });

  it("show ChargeType as the reference writes it, and the international site's auto-renew sets", async () => {
    const hosts = (await client.describeDedicatedHosts(new ecs.DescribeDedicatedHostsRequest({ regionId: "cn-hangzhou" }))).body!.dedicatedHosts!.dedicatedHost!;
    expect(hosts.map((h) => [h.dedicatedHostId, h.chargeType])).toEqual([
      ["dh-bp1host00000001", "Prepaid"],
      ["dh-bp1host00000002", "PostPaid"],
    ]);
    emulator.reset({ ...FLEET, site: "international" });
    const modify = (duration: number, periodUnit: string) =>
      client.modifyDedicatedHostAutoRenewAttribute(new ecs.ModifyDedicatedHostAutoRenewAttributeRequest({ regionId: "cn-hangzhou", dedicatedHostIds: "dh-bp1host00000001", renewalStatus: "AutoRenewal", duration, periodUnit }));
    expect(await sdkFailure(modify(3, "Month"))).toMatchObject({ code: "InvalidParameter.Duration" });
    expect(await sdkFailure(modify(1, "Week"))).toMatchObject({ code: "InvalidPeriodUnit.ValueNotSupported" });
    await modify(12, "Month");
    expect(emulator.family("dh-bp1host00000001")).toMatchObject({ renewalStatus: "AutoRenewal", duration: 12, periodUnit: "Month" });
  });

  it("an instance on a host is not renewed past it; with AutoRenewWithEcs the host follows the instance's auto-renewal", async () => {
    expect(await sdkFailure(client.renewInstance(new ecs.RenewInstanceRequest({ instanceId: "i-bp1onhost000001", period: 2, periodUnit: "Month" })))).toMatchObject({
      code: "InvalidPeriod.ExceededDedicatedHost",
      statusCode: 400,
      data: expect.objectContaining({ Message: "Instance expired date can't exceed dedicated host expired date." }),
    });
    // Without the host following, the instance's auto-renewal cannot go past the host: nothing is charged.
    emulator.clock.advance(22 * DAY);
    expect(emulator.ledger()).toEqual([]);
    emulator.reset();
    await client.modifyDedicatedHostAutoRenewAttribute(new ecs.ModifyDedicatedHostAutoRenewAttributeRequest({ regionId: "cn-hangzhou", dedicatedHostIds: "dh-bp1host00000001", renewalStatus: "AutoRenewal", duration: 1, autoRenewWithEcs: "AutoRenewWithEcs" }));
    emulator.clock.advance(22 * DAY);
    const [host, instance] = emulator.ledger();
    expect(host).toMatchObject({ family: "dedicatedHost", instanceId: "dh-bp1host00000001", kind: "auto-renew", period: 1 });
    expect(instance).toMatchObject({ instanceId: "i-bp1onhost000001", kind: "auto-renew" });
    expect(Date.parse(emulator.family("dh-bp1host00000001")!.expiredTime)).toBeGreaterThanOrEqual(Date.parse(emulator.instance("i-bp1onhost000001")!.expiredTime));
  });
});

describe("reserved instances and elasticity assurances", () => {
  it("take ids as lists of their own, and their own value sets", async () => {
    expect(await sdkFailure(client.modifyReservedInstanceAutoRenewAttribute(new ecs.ModifyReservedInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", reservedInstanceId: ["ecsri-bp1ri0000001"], renewalStatus: "AutoRenewal", period: 2, periodUnit: "Year" })))).toMatchObject({
      code: "InvalidParameter.Duration",
      statusCode: 400,
    });
    expect(await sdkFailure(client.modifyReservedInstanceAutoRenewAttribute(new ecs.ModifyReservedInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", renewalStatus: "Normal" })))).toMatchObject({ code: "Abs.MissingParamter.InstanceId", statusCode: 403 });
    const eleven = Array.from({ length: 11 }, (_, n) => `ecsri-bp1many${String(n).padStart(4, "0")}`);
    expect(await sdkFailure(client.renewReservedInstances(new ecs.RenewReservedInstancesRequest({ regionId: "cn-hangzhou", reservedInstanceId: eleven, period: 1, periodUnit: "Year" })))).toMatchObject({ code: "InvalidParameter.ToManyInstanceIds" });
    const weekly = await client.renewElasticityAssurances(
      new ecs.RenewElasticityAssurancesRequest({ regionId: "cn-hangzhou", privatePoolOptions: new ecs.RenewElasticityAssurancesRequestPrivatePoolOptions({ id: ["eap-bp1ea00000001"] }), period: 2, periodUnit: "Weekly", clientToken: "weekly-1" }),
    );
    expect(weekly.body!.orderId).toBe(emulator.ledger()[0].orderId);
    expect(emulator.ledger()[0]).toMatchObject({ family: "elasticityAssurance", period: 2, periodUnit: "Week", amount: 20 });
  });

  it("an expired reserved instance shows Expired, and only an Active one may change its settings", async () => {
    emulator.clock.advance(21 * DAY);
    const [ri] = (await client.describeReservedInstances(new ecs.DescribeReservedInstancesRequest({ regionId: "cn-hangzhou", reservedInstanceId: ["ecsri-bp1ri0000001"] }))).body!.reservedInstances!.reservedInstance!;
    expect(ri).toMatchObject({ status: "Expired", operationLocks: { operationLock: [{ lockReason: "financial" }] } });
    expect(await sdkFailure(client.modifyReservedInstanceAutoRenewAttribute(new ecs.ModifyReservedInstanceAutoRenewAttributeRequest({ regionId: "cn-hangzhou", reservedInstanceId: ["ecsri-bp1ri0000001"], renewalStatus: "Normal" })))).toMatchObject({ code: "IncorrectReservedInstanceStatus" });
  });
});

describe("E-MapReduce 2021-03-20", () => {
  it("GetCluster shows the fee's expiry and SubscriptionConfig; UpdateClusterAutoRenew sets it, and the nodes only when asked", async () => {
    await emrCall("UpdateClusterAutoRenew", { ClusterId: "c-bp1emr0000000001", ClusterAutoRenew: true, ClusterAutoRenewDuration: 3, ClusterAutoRenewDurationUnit: "Month" });
    const { body } = await emrCall("GetCluster", { ClusterId: "c-bp1emr0000000001" });
    expect(body.Cluster).toMatchObject({ ClusterId: "c-bp1emr0000000001", PaymentType: "Subscription", ExpireTime: Date.parse(emulator.family("c-bp1emr0000000001")!.expiredTime), SubscriptionConfig: { AutoRenew: true, AutoRenewDuration: 3, AutoRenewDurationUnit: "Month" } });
    expect(emulator.instance("i-bp1emrnode00001")!.renewalStatus).toBe("Normal");
    await emrCall("UpdateClusterAutoRenew", { ClusterId: "c-bp1emr0000000001", ClusterAutoRenew: true, ClusterAutoRenewDuration: 3, RenewAllInstances: true });
    expect(emulator.instance("i-bp1emrnode00001")).toMatchObject({ renewalStatus: "AutoRenewal", duration: 1, periodUnit: "Month" });
  });

  it("answers its errors: an unknown cluster, a duration outside its set, and RAM as emr:", async () => {
    const failure = async (p: Promise<unknown>) => sdkFailure(p);
    expect(await failure(emrCall("GetCluster", { ClusterId: "c-bp1nosuchcluster" }))).toMatchObject({ code: "NotFound.Cluster", statusCode: 404 });
    expect(await failure(emrCall("UpdateClusterAutoRenew", { ClusterId: "c-bp1emr0000000001", ClusterAutoRenew: true, ClusterAutoRenewDuration: 48 }))).toMatchObject({ code: "InvalidParameter.ClusterAutoRenewDuration" });
    emulator.reset({ ...FLEET, keys: [{ accessKeyId: "LTAIecsOnly", accessKeySecret: "ecs-only-secret", allow: ["ecs:*"] }] });
    const ecsOnly = new OpenApi(new $OpenApiUtil.Config({ accessKeyId: "LTAIecsOnly", accessKeySecret: "ecs-only-secret", endpoint: emulator.endpoint, protocol: "http", regionId: "cn-hangzhou" }));
    const params = new $OpenApiUtil.Params({ action: "GetCluster", version: "2021-03-20", protocol: "HTTP", pathname: "/", method: "POST", authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "json" });
    expect(await failure(ecsOnly.callApi(params, new $OpenApiUtil.OpenApiRequest({ query: { RegionId: "cn-hangzhou", ClusterId: "c-bp1emr0000000001" } }), {} as never))).toMatchObject({
      code: "Forbidden.RAM",
      message: expect.stringContaining("is not allowed action: emr:GetCluster"),
    });
  });
});
