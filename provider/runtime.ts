// The stable entry point that serialized providers require by package name
// (`require("pulumi-alicloud-renewal/runtime")`). State written by any version names only this module
// and the functions below, so they must keep their names and meaning across releases.

import { createContext, type ProviderContext } from "./context";
import { DEDICATED_HOST, ELASTICITY_ASSURANCE, EMR_CLUSTER, RESERVED_INSTANCE } from "./families";
import { InstanceRenewalController } from "./instance-renewal/controller";
import { RenewalOrderController } from "./manual-renewal/controller";
import { RenewalPlanController } from "./manual-renewal/plan-controller";
import { SettingsController } from "./renewal-settings/controller";
import { resolveSettings, type ConfigGetter } from "./settings";

let context: ProviderContext | undefined;
let configured: ConfigGetter = () => undefined;
let fingerprint = "";

/**
 * Called by each shim's `configure` with the stack config the engine passed to the host. The host calls
 * it once per distinct serialized provider, so the same config arrives more than once: keep the shared
 * context (clients, batchers, claims) unless the settings really changed.
 */
export function configure(config: ConfigGetter): void {
  const next = JSON.stringify(resolveSettings(config));
  if (next === fingerprint) return;
  fingerprint = next;
  configured = config;
  context = undefined;
}

function currentContext(): ProviderContext {
  context ??= createContext(configured);
  return context;
}

// Kinds are never renamed or removed: state written by every release names them.
const controllers = {
  InstanceRenewal: new InstanceRenewalController(currentContext),
  DedicatedHostRenewal: new SettingsController(DEDICATED_HOST, currentContext),
  ReservedInstanceRenewal: new SettingsController(RESERVED_INSTANCE, currentContext),
  ElasticityAssuranceRenewal: new SettingsController(ELASTICITY_ASSURANCE, currentContext),
  EmrClusterRenewal: new SettingsController(EMR_CLUSTER, currentContext),
  RenewalOrder: new RenewalOrderController(currentContext),
  RenewalPlan: new RenewalPlanController(currentContext),
};

export type ControllerKind = keyof typeof controllers;

/** The controller behind a serialized shim. Unknown kinds come from a newer package than is installed. */
export function controller(kind: string): (typeof controllers)[ControllerKind] {
  const found = (controllers as Record<string, (typeof controllers)[ControllerKind] | undefined>)[kind];
  if (!found) {
    throw new Error(`pulumi-alicloud-renewal has no resource kind "${kind}": the stack was written by a newer version of the package. Upgrade pulumi-alicloud-renewal.`);
  }
  return found;
}
