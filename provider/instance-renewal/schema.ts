// Inputs of InstanceRenewal: validation with the API's own value sets, defaults, canonical form.
// Runs inside `check`, so it is local: no API call, one resource at a time.

import { z } from "zod";
import { AUTO_RENEW_DURATIONS, AUTO_RENEW_PERIOD_UNITS, type Site } from "../ecs/value-sets";
import { isUnknown } from "../unknowns";

export const RENEWAL_STATUSES = ["AutoRenewal", "Normal", "NotRenewal"] as const;
export const ON_DELETE = ["restore", "Normal", "NotRenewal"] as const;

export interface InstanceRenewalInputs {
  instanceId: string;
  regionId: string;
  renewalStatus: (typeof RENEWAL_STATUSES)[number];
  duration: number;
  periodUnit: (typeof AUTO_RENEW_PERIOD_UNITS)[number];
  onDelete: (typeof ON_DELETE)[number];
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : v === undefined ? "nothing" : JSON.stringify(v) ?? String(v));
export const list = (values: readonly (string | number)[]): string => values.map((v) => (typeof v === "string" ? `"${v}"` : String(v))).join(", ");

export const INSTANCE_ID = /^i-[0-9a-z]{4,}$/;
export const REGION_ID = /^[a-z]{2,}(-[a-z0-9]+)+$/;

export function enumOf<T extends readonly [string, ...string[]]>(name: string, values: T, hint = "") {
  return z.enum(values, {
    error: (issue) => {
      const v = issue.input;
      const caseHint = typeof v === "string" && values.some((x) => x.toLowerCase() === v.toLowerCase()) ? " (values are case-sensitive)" : "";
      return `${name}: ${show(v)} is not allowed; use one of ${list(values)}${caseHint}${hint}`;
    },
  });
}

export const integerLike = (name: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z.number({ error: (issue) => `${name}: ${show(issue.input)} is not a number; use a whole number` }).int({ error: (issue) => `${name}: ${show(issue.input)} is not a whole number` }),
  );

export const instanceIdSchema = z
  .string({ error: (issue) => `instanceId: ${show(issue.input)} is not a string; use an ECS instance id such as "i-bp67acfmxazb4ph1"` })
  .refine((v) => INSTANCE_ID.test(v), {
    error: (issue) => `instanceId: ${show(issue.input)} is not an ECS instance id; ids look like "i-bp67acfmxazb4ph1" (lower-case letters and digits after "i-", no spaces)`,
  });

export const regionIdSchema = z
  .string({ error: (issue) => `regionId: ${show(issue.input)} is not a string; use a region id such as "cn-hangzhou"` })
  .refine((v) => REGION_ID.test(v), {
    error: (issue) => `regionId: ${show(issue.input)} is not a region id; use one such as "cn-hangzhou" or "ap-southeast-1"`,
  });

const shape = z
  .object({
    instanceId: instanceIdSchema,
    regionId: regionIdSchema,
    renewalStatus: enumOf("renewalStatus", RENEWAL_STATUSES).default("AutoRenewal"),
    duration: integerLike("duration").default(1),
    periodUnit: enumOf("periodUnit", AUTO_RENEW_PERIOD_UNITS).default("Month"),
    onDelete: enumOf("onDelete", ON_DELETE, "; to leave the settings untouched, use Pulumi's retainOnDelete resource option").default("restore"),
  })
  .strict();

export interface CheckContext {
  /** Region from stack config or environment, used when the resource names none. */
  defaultRegion?: string;
  /** The account's site (stack config alicloud-renewal:site); default china. */
  site?: Site;
  /** Why the configured site is not one, if it is not. */
  siteProblem?: string;
}

/** The sentence for a value the international site refuses. */
export const onSite = (site: Site) => (site === "china" ? "" : ` on the ${site} site (stack config alicloud-renewal:site)`);

/** Duration and unit against ModifyInstanceAutoRenewAttribute's sets for the site. */
function autoRenewFailure(duration: number, periodUnit: (typeof AUTO_RENEW_PERIOD_UNITS)[number], site: Site): CheckFailure | undefined {
  const sets = AUTO_RENEW_DURATIONS[site];
  const allowed = sets[periodUnit];
  if (!allowed) {
    const units = AUTO_RENEW_PERIOD_UNITS.filter((u) => sets[u]);
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
export function checkInstanceRenewal(news: Record<string, unknown>, context: CheckContext): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(news)) if (!k.startsWith("__") && v !== undefined && v !== null) raw[k] = v;
  if (raw.regionId === undefined && context.defaultRegion) raw.regionId = context.defaultRegion;

  const stand: Record<string, string | number> = { instanceId: "i-unknown0", regionId: "unknown-region", renewalStatus: "AutoRenewal", duration: 1, periodUnit: "Month", onDelete: "restore" };
  const probe = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, isUnknown(v) && k in stand ? stand[k] : v]));
  // An unknown unit or duration may still turn out valid: skip the combination check then.
  if (isUnknown(raw.duration) || isUnknown(raw.periodUnit)) {
    probe.periodUnit = "Month";
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

  const parsed = shape.safeParse(probe);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          failures.push({ property: key, reason: `${key}: unknown property; InstanceRenewal takes ${list(Object.keys(stand))}` });
        }
        continue;
      }
      const property = String(issue.path[0] ?? "");
      if (property === "instanceId" && raw.instanceId === undefined) {
        failures.push({ property, reason: `instanceId: nothing is set; it is required (an ECS instance id such as "i-bp67acfmxazb4ph1")` });
        continue;
      }
      failures.push({ property, reason: issue.message });
    }
    return { inputs: { ...news }, failures };
  }
  const refused = autoRenewFailure(parsed.data.duration, parsed.data.periodUnit, context.site ?? "china");
  if (refused) failures.push(refused);
  if (failures.length) return { inputs: { ...news }, failures };
  const inputs: Record<string, unknown> = { ...parsed.data };
  for (const [k, v] of Object.entries(raw)) if (isUnknown(v)) inputs[k] = v;
  return { inputs, failures };
}

/** Inputs as stored after check (trusted). */
export function asInputs(props: Record<string, unknown>): InstanceRenewalInputs {
  return {
    instanceId: String(props.instanceId),
    regionId: String(props.regionId),
    renewalStatus: (props.renewalStatus as InstanceRenewalInputs["renewalStatus"]) ?? "AutoRenewal",
    duration: Number(props.duration ?? 1),
    periodUnit: (props.periodUnit as InstanceRenewalInputs["periodUnit"]) ?? "Month",
    onDelete: (props.onDelete as InstanceRenewalInputs["onDelete"]) ?? "restore",
  };
}
