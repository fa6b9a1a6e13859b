// Public API of pulumi-alicloud-renewal.
export { InstanceRenewal, type InstanceRenewalArgs } from "./instance-renewal/resource";
export { DedicatedHostRenewal, type DedicatedHostRenewalArgs } from "./dedicated-host-renewal/resource";
export { ReservedInstanceRenewal, type ReservedInstanceRenewalArgs } from "./reserved-instance-renewal/resource";
export { ElasticityAssuranceRenewal, type ElasticityAssuranceRenewalArgs } from "./elasticity-assurance-renewal/resource";
export { EmrClusterRenewal, type EmrClusterRenewalArgs } from "./emr-cluster-renewal/resource";
export type { InstanceRenewalOutputs, PreviousSettings } from "./instance-renewal/controller";
export { RenewalError } from "./ecs/errors";
export { getExpiringInstances, type GetExpiringInstancesArgs } from "./fleet/get-expiring-instances";
export type { ExpiringInstance, ProductSelection, Risk, Subscription } from "./fleet/expiring";
export { ManualRenewal, type ManualRenewalArgs } from "./manual-renewal/component";
export type { RenewalOrderOutputs } from "./manual-renewal/controller";
