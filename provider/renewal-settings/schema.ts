// Inputs of a subscription's auto-renew settings resource (InstanceRenewal, DedicatedHostRenewal, …):
// validation with the family's own value sets for the account's site, defaults, canonical form. Runs
// inside `check`, so it is local: no API call, one resource at a time.

import { z } from "zod";
import type { PeriodUnit, RenewalStatus, SubscriptionFamily } from "../families/family";
import type { Site } from "../ecs/value-sets";
import { enumOf, idMissing, idSchema, integerLike, list, onSite, regionIdSchema, type CheckFailure } from "../schema-parts";
import { isUnknown } from "../unknowns";

/** The inputs as stored after check; the id sits under the family's id input (`instanceId`, `clusterId`…). */
export interface SettingsInputs {
  id: string;
  regionId: string;
  renewalStatus: RenewalStatus;
  duration: number;
  periodUnit: PeriodUnit;
  onDelete: string;
  autoRenewWithEcs?: string;
}

export interface CheckContext {
  /** Region from stack config or environment, used when the resource names none. */
  defaultRegion?: string;
  /** The account's site (stack config alicloud-renewal:site); default china. */
  site?: Site;
  /** Why the configured site is not one, if it is not. */
  siteProblem?: string;
}

/** What deleting the resource may set: what was found at create, or any status but auto-renewal. */
export const onDeleteValues = (family: SubscriptionFamily): [string, ...string[]] => ["restore", ...family.settings.statuses.filter((s) => s !== "AutoRenewal")];

/** The inputs a family's resource takes, in the order messages list them. */
export function takes(family: SubscriptionFamily): string[] {
  return [family.idInput, "regionId", "renewalStatus", "duration", "periodUnit", ...(family.settings.extras ?? []).map((e) => e.name), "onDelete"];
}

const shapes = new Map<string, z.ZodObject>();

function shapeOf(family: SubscriptionFamily): z.ZodObject {
  let shape = shapes.get(family.kind);
  if (!shape) {
    const s = family.settings;
    shape = z
      .object({
        [family.idInput]: idSchema(family),
        regionId: regionIdSchema,
        renewalStatus: enumOf("renewalStatus", s.statuses as [RenewalStatus, ...RenewalStatus[]]).default("AutoRenewal"),
        duration: integerLike("duration").default(1),
        periodUnit: enumOf("periodUnit", s.units as [PeriodUnit, ...PeriodUnit[]]).default("Month"),
        ...Object.fromEntries((s.extras ?? []).map((e) => [e.name, enumOf(e.name, e.values as [string, ...string[]], ` (${e.describe}); leave it out to keep what is set`).optional()])),
        onDelete: enumOf("onDelete", onDeleteValues(family), "; to leave the settings untouched, use Pulumi's retainOnDelete resource option").default("restore"),
      })
      .strict();
    shapes.set(family.kind, shape);
  }
  return shape;
}

/** Duration and unit against the family's write call's sets for the site. */
function autoRenewFailure(family: SubscriptionFamily, duration: number, periodUnit: PeriodUnit, site: Site): CheckFailure | undefined {
  const sets = family.settings.durations[site];
  const allowed = sets[periodUnit];
  if (!allowed) {
    const units = family.settings.units.filter((u) => sets[u]);
    return { property: "periodUnit", reason: `periodUnit: "${periodUnit}" is not allowed${onSite(site)}; use one of ${list(units)}` };
  }
  if (!allowed.includes(duration)) {
    return { property: "duration", reason: `duration: ${duration} is not allowed with periodUnit "${periodUnit}"${onSite(site)}; use one of ${list(allowed)}` };
  }
  return undefined;
}

/**
 * Validates and canonicalizes raw inputs. Unknown values (preview, before a dependency exists) are kept
 * as they are and stand in for a valid value while the rest is checked.
 */
export function checkSettings(family: SubscriptionFamily, news: Record<string, unknown>, context: CheckContext): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(news)) if (!k.startsWith("__") && v !== undefined && v !== null) raw[k] = v;
  if (raw.regionId === undefined && context.defaultRegion) raw.regionId = context.defaultRegion;

  const units = family.settings.units;
  const stand: Record<string, string | number> = {
    [family.idInput]: `${family.id.prefix}unknown0`,
    regionId: "unknown-region",
    renewalStatus: "AutoRenewal",
    duration: 1,
    periodUnit: units[0],
    ...Object.fromEntries((family.settings.extras ?? []).map((e) => [e.name, e.values[0]])),
    onDelete: "restore",
  };
  const probe = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, isUnknown(v) && k in stand ? stand[k] : v]));
  // An unknown unit or duration may still turn out valid: skip the combination check then.
  if (isUnknown(raw.duration) || isUnknown(raw.periodUnit)) {
    probe.periodUnit = units[0];
    probe.duration = 1;
  }

  const failures: CheckFailure[] = [];
  if (context.siteProblem) failures.push({ property: "", reason: context.siteProblem });
  if (raw.regionId === undefined) {
    failures.push({
      property: "regionId",
      reason: "regionId: nothing is set; set regionId on the resource, or stack config alicloud:region (pulumi config set alicloud:region cn-hangzhou), or ALIBABA_CLOUD_REGION_ID",
    });
    probe.regionId = "unknown-region";
  }

  const parsed = shapeOf(family).safeParse(probe);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) failures.push({ property: key, reason: `${key}: unknown property; ${family.resource} takes ${list(takes(family))}` });
        continue;
      }
      const property = String(issue.path[0] ?? "");
      if (property === family.idInput && raw[family.idInput] === undefined) {
        failures.push({ property, reason: idMissing(family) });
        continue;
      }
      failures.push({ property, reason: issue.message });
    }
    return { inputs: { ...news }, failures };
  }
  const data = parsed.data as Record<string, unknown>;
  const refused = autoRenewFailure(family, data.duration as number, data.periodUnit as PeriodUnit, context.site ?? "china");
  if (refused) failures.push(refused);
  if (failures.length) return { inputs: { ...news }, failures };
  const inputs: Record<string, unknown> = { ...data };
  for (const [k, v] of Object.entries(raw)) if (isUnknown(v)) inputs[k] = v;
  return { inputs, failures };
}

/** Inputs as stored after check (trusted), read through the family's id input. */
export function asSettingsInputs(family: SubscriptionFamily, props: Record<string, unknown>): SettingsInputs {
  return {
    id: String(props[family.idInput]),
    regionId: String(props.regionId),
    renewalStatus: (props.renewalStatus as RenewalStatus | undefined) ?? "AutoRenewal",
    duration: Number(props.duration ?? 1),
    periodUnit: (props.periodUnit as PeriodUnit | undefined) ?? "Month",
    onDelete: (props.onDelete as string | undefined) ?? "restore",
    ...(typeof props.autoRenewWithEcs === "string" ? { autoRenewWithEcs: props.autoRenewWithEcs } : {}),
  };
}

/** The inputs in their stored form: the id under the family's id input, in the order of `takes`. */
export function storedInputs(family: SubscriptionFamily, i: SettingsInputs): Record<string, unknown> {
  return {
    [family.idInput]: i.id,
    regionId: i.regionId,
    renewalStatus: i.renewalStatus,
    duration: i.duration,
    periodUnit: i.periodUnit,
    ...(i.autoRenewWithEcs !== undefined ? { autoRenewWithEcs: i.autoRenewWithEcs } : {}),
    onDelete: i.onDelete,
  };
}
