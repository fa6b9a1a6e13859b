// DedicatedHostRenewal: the auto-renew settings of a subscription dedicated host (`dh-…`).

import * as pulumi from "@pulumi/pulumi";
import { SettingsResource, type SettingsArgs } from "../renewal-settings/resource";

export interface DedicatedHostRenewalArgs extends SettingsArgs<"AutoRenewal" | "Normal" | "NotRenewal", "Month" | "Year" | "Week", "restore" | "Normal" | "NotRenewal"> {
  /** The subscription dedicated host, e.g. `dh-bp165p6xk2tlw61e`. */
  dedicatedHostId: pulumi.Input<string>;
  /** Month: 1, 2, 3, 6, 12, 24, 36, 48, 60; Year: 1–5; Week: 1–4 (China site); international site: Month 1, 12 and Year 1, 12. */
  duration?: pulumi.Input<number>;
  /**
   * Whether the host also renews along with the subscription instances on it: when an instance on the host
   * auto-renews past the host's expiry, the host renews by the smallest period of its cycle that covers it
   * (`AutoRenewWithEcs`; takes effect only while the host itself auto-renews), or not (`StopRenewWithEcs`).
   * An instance cannot be renewed past its host's expiry, so without it an instance on a host that expires
   * first does not auto-renew. Left out, whatever is set stays.
   */
  autoRenewWithEcs?: pulumi.Input<"AutoRenewWithEcs" | "StopRenewWithEcs">;
}

export class DedicatedHostRenewal extends SettingsResource {
  declare readonly dedicatedHostId: pulumi.Output<string>;
  /** The host's setting as ECS reports it (AutoRenewWithEcs or StopRenewWithEcs). */
  declare readonly autoRenewWithEcs: pulumi.Output<string | undefined>;
  /** PrePaid or PostPaid. */
  declare readonly chargeType: pulumi.Output<string>;

  constructor(name: string, args: DedicatedHostRenewalArgs, opts?: pulumi.CustomResourceOptions) {
    super("DedicatedHostRenewal", name, args, ["autoRenewWithEcs", "chargeType"], opts);
  }

  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): DedicatedHostRenewal {
    return new DedicatedHostRenewal(name, { dedicatedHostId: id }, { ...opts, id });
  }
}
