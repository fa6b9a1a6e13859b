// Validation building blocks every resource's check shares: message helpers, enums that say what is allowed
// (and when only the case is wrong), whole numbers, ids of each family, regions. Local: no API call.

import { z } from "zod";
import type { Site } from "./ecs/value-sets";
import type { SubscriptionFamily } from "./families/family";

export interface CheckFailure {
  property: string;
  reason: string;
}

export const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : v === undefined ? "nothing" : JSON.stringify(v) ?? String(v));
export const list = (values: readonly (string | number)[]): string => values.map((v) => (typeof v === "string" ? `"${v}"` : String(v))).join(", ");

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

/** The id input of a family: `instanceId` takes "i-…", `dedicatedHostId` "dh-…", and so on. */
export function idSchema(family: SubscriptionFamily) {
  const { what, example, prefix, pattern } = family.id;
  return z
    .string({ error: (issue) => `${family.idInput}: ${show(issue.input)} is not a string; use ${what} such as "${example}"` })
    .refine((v) => pattern.test(v), {
      error: (issue) => `${family.idInput}: ${show(issue.input)} is not ${what}; ids look like "${example}" (lower-case letters and digits after "${prefix}", no spaces)`,
    });
}

/** What check says when a family's id input is missing. */
export const idMissing = (family: SubscriptionFamily): string => `${family.idInput}: nothing is set; it is required (${family.id.what} such as "${family.id.example}")`;

export const regionIdSchema = z
  .string({ error: (issue) => `regionId: ${show(issue.input)} is not a string; use a region id such as "cn-hangzhou"` })
  .refine((v) => REGION_ID.test(v), {
    error: (issue) => `regionId: ${show(issue.input)} is not a region id; use one such as "cn-hangzhou" or "ap-southeast-1"`,
  });

/** The sentence for a value the international site refuses. */
export const onSite = (site: Site) => (site === "china" ? "" : ` on the ${site} site (stack config alicloud-renewal:site)`);
