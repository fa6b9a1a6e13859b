// Every subscription family, by kind and by the id input that names it.

import { DEDICATED_HOST } from "./dedicated-host";
import { ELASTICITY_ASSURANCE } from "./elasticity-assurance";
import { EMR_CLUSTER } from "./emr-cluster";
import type { FamilyKind, SubscriptionFamily } from "./family";
import { INSTANCE } from "./instance";
import { RESERVED_INSTANCE } from "./reserved-instance";

export const FAMILIES: Record<FamilyKind, SubscriptionFamily> = {
  instance: INSTANCE,
  dedicatedHost: DEDICATED_HOST,
  reservedInstance: RESERVED_INSTANCE,
  elasticityAssurance: ELASTICITY_ASSURANCE,
  emrCluster: EMR_CLUSTER,
};

export const FAMILY_KINDS = Object.keys(FAMILIES) as FamilyKind[];

/** The families ManualRenewal can renew once: those whose API has a renewal call. */
export const RENEWABLE = FAMILY_KINDS.map((k) => FAMILIES[k]).filter((f) => f.renewal !== undefined);

export { DEDICATED_HOST, ELASTICITY_ASSURANCE, EMR_CLUSTER, INSTANCE, RESERVED_INSTANCE };
export type { FamilyKind, SubscriptionFamily };
