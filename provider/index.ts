// Public API of pulumi-alicloud-renewal.
export { InstanceRenewal, type InstanceRenewalArgs } from "./instance-renewal/resource";
export type { InstanceRenewalOutputs, PreviousSettings } from "./instance-renewal/controller";
export { RenewalError } from "./ecs/errors";
export { getExpiringInstances, type GetExpiringInstancesArgs } from "./fleet/get-expiring-instances";
export type { ExpiringInstance, ProductSelection, Risk, Subscription } from "./fleet/expiring";
export { ManualRenewal, type ManualRenewalArgs } from "./manual-renewal/component";
export type { RenewalOrderOutputs } from "./manual-renewal/controller";
