// Inputs of InstanceRenewal: validation with the API's own value sets, defaults, canonical form.
// Runs inside `check`, so it is local: no API call, one resource at a time.

import { z } from "zod";
import { isUnknown } from "../unknowns";

export const RENEWAL_STATUSES = ["AutoRenewal", "Normal", "NotRenewal"] as const;
export const AUTO_RENEW_PERIOD_UNITS = ["Month", "Year", "Week"] as const;
export const ON_DELETE = ["restore", "Normal", "NotRenewal"] as const;

/** ModifyInstanceAutoRenewAttribute's valid Duration per PeriodUnit (ECS API 2014-05-26). */
export const AUTO_RENEW_DURATIONS: Record<(typeof AUTO_RENEW_PERIOD_UNITS)[number], readonly number[]> = {
  Month: [1, 2, 3, 6, 12, 24, 36, 48, 60],
  Year: [1, 2, 3, 4, 5],
  Week: [1, 2, 3, 4],
};

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
  .strict()
  .superRefine((v, ctx) => {
    const allowed = AUTO_RENEW_DURATIONS[v.periodUnit];
    if (allowed && !allowed.includes(v.duration)) {
      ctx.addIssue({
        code: "custom",
        path: ["duration"],
        message: `duration: ${v.duration} is not allowed with periodUnit "${v.periodUnit}"; use one of ${list(allowed)}`,
      });
    }
  });

export interface CheckContext {
  /** Region from stack config or environment, used when the resource names none. */
  defaultRegion?: string;
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
