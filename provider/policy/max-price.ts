// Rule 3: a ManualRenewal says the most it may cost. The component's own arguments never reach the engine
// (Pulumi sends none for a local component), so the rule reads them on its child order, which carries them,
// and names the ManualRenewal. Judged per resource, before the order's step: at "mandatory" a `pulumi up`
// stops before anything is charged.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { MANUAL_RENEWAL, nameOfUrn, read, RENEWAL_ORDER, typeOfUrn } from "./resources";

export const MAX_PRICE = "manual-renewal-has-max-price";

export const maxPrice: ResourceValidationPolicy = {
  name: MAX_PRICE,
  description: "Every ManualRenewal has a maxPrice, so a renewal never charges more than planned.",
  enforcementLevel: "advisory",
  severity: "medium",
  remediationSteps: "Set maxPrice on the ManualRenewal, in the account's currency; `pulumi preview` shows the price in the quote input.",
  validateResource: (args, reportViolation) => {
    if (args.type !== RENEWAL_ORDER) return;
    // Unknown during preview still means a maxPrice was given.
    if (read(args.props, "maxPrice") !== undefined) return;
    const parent = args.opts.parent;
    const renewal = parent && typeOfUrn(parent) === MANUAL_RENEWAL ? `ManualRenewal "${nameOfUrn(parent)}"` : `RenewalOrder "${args.name}"`;
    reportViolation(
      `${renewal} has no maxPrice: its RenewInstance order is charged whatever ECS asks. Set maxPrice (in the account's currency; the preview shows the price in the quote input) so a renewal that costs more is refused before anything is charged.`,
    );
  },
};
