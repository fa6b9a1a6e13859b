// Inputs of a manual renewal: one intent, optional guards, and the client token derived from them.
// Runs inside `check` for both children of ManualRenewal (the plan and the order): local, no API call.

import { createHash } from "node:crypto";
import { z } from "zod";
import { parseEcsTime } from "../ecs/expiry";
import type { Site } from "../ecs/value-sets";
import { INSTANCE, RENEWABLE, type SubscriptionFamily } from "../families";
import type { PeriodUnit } from "../families/family";
import { enumOf, idMissing, idSchema, integerLike, list, onSite, regionIdSchema, show, type CheckFailure } from "../schema-parts";
import { isUnknown, UNKNOWN } from "../unknowns";

export type RenewalIntent =
  | { kind: "period"; period: number; periodUnit: PeriodUnit }
  | { kind: "expectedRenewDay"; expectedRenewDay: number }
  | { kind: "ensureExpiresAfter"; ensureExpiresAfter: string };

/** The id inputs ManualRenewal takes; exactly one is given, and it names the family. */
export const ID_KEYS = RENEWABLE.map((f) => f.idInput);

/**
 * What decides which renewal this is: a change to any of these is a new renewal (a replacement). Exactly
 * one id is set: `instanceId` (all that earlier releases knew), `dedicatedHostId`, `reservedInstanceId` or
 * `elasticityAssuranceId`.
 */
export interface RenewalIdentity {
  instanceId?: string;
  dedicatedHostId?: string;
  reservedInstanceId?: string;
  elasticityAssuranceId?: string;
  regionId: string;
  period?: number;
  periodUnit?: PeriodUnit;
  expectedRenewDay?: number;
  ensureExpiresAfter?: string;
  renewalKey?: string;
  /** `project/stack/name`, set by ManualRenewal: makes the client token unique to this declaration. */
  scope: string;
  /** Derived in check: the ClientToken every attempt of this renewal sends. */
  clientToken: string;
}

export interface RenewalOrderInputs extends RenewalIdentity {
  onlyIfExpiresWithinDays?: number;
  maxPrice?: number;
  /** The expiry recorded by this renewal's plan (see decision.ts, row 4); "" when the plan found none. */
  plannedFromExpiredTime?: string;
  /** Informational, from the program's quote; never drives behaviour and never shows as a diff. */
  quote?: Record<string, unknown>;
}

/** The family a renewal's inputs name (by the id input they set), and that id. Instances when none is set. */
export function familyOf(i: Partial<RenewalIdentity> | Record<string, unknown>): SubscriptionFamily {
  const r = i as Record<string, unknown>;
  return RENEWABLE.find((f) => r[f.idInput] !== undefined) ?? INSTANCE;
}

export const subscriptionIdOf = (i: Partial<RenewalIdentity> | Record<string, unknown>): string => String((i as Record<string, unknown>)[familyOf(i).idInput]);

/** What a user may pass to ManualRenewal, in the order messages list them. */
const TAKES = [...ID_KEYS, "regionId", "period", "periodUnit", "expectedRenewDay", "ensureExpiresAfter", "onlyIfExpiresWithinDays", "maxPrice", "renewalKey"];
export const IDENTITY_KEYS = [...ID_KEYS, "regionId", "period", "periodUnit", "expectedRenewDay", "ensureExpiresAfter", "renewalKey", "scope"] as const;
const INTERNAL = ["scope", "clientToken", "quote", "plannedFromExpiredTime"];

const isoDate = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The fields that identify a renewal of `family`: its own id input, and the unit set its renewal call takes. */
const identityFields = (family: SubscriptionFamily) => ({
  ...Object.fromEntries(RENEWABLE.map((f) => [f.idInput, idSchema(f).optional()])),
  regionId: regionIdSchema,
  period: integerLike("period").optional(),
  periodUnit: enumOf("periodUnit", family.renewal!.units as [PeriodUnit, ...PeriodUnit[]], ` (${family.renewal!.action} renews by ${family.renewal!.units.join(" or ")}; use ensureExpiresAfter for a date)`).optional(),
  expectedRenewDay: integerLike("expectedRenewDay")
    .refine((d) => d >= 1 && d <= 28, { error: (i) => `expectedRenewDay: ${show(i.input)} is not allowed; use a day of the month from 1 to 28` })
    .optional(),
  ensureExpiresAfter: z
    .string({ error: (i) => `ensureExpiresAfter: ${show(i.input)} is not a date; use an ISO-8601 date such as "2027-06-30"` })
    .refine((s) => isoDate.test(s) && !Number.isNaN(Date.parse(s)), { error: (i) => `ensureExpiresAfter: ${show(i.input)} is not an ISO-8601 date; use one such as "2027-06-30" or "2027-06-30T16:00Z"` })
    .optional(),
  renewalKey: z.string({ error: (i) => `renewalKey: ${show(i.input)} is not a string; use any string, and change it to ask for a new renewal` }).optional(),
  scope: z.string({ error: () => "scope: missing; declare renewals with ManualRenewal, which sets it" }).min(1),
  clientToken: z.string().optional(),
});

const orderShape = (family: SubscriptionFamily) =>
  z
  .object({
    ...identityFields(family),
    onlyIfExpiresWithinDays: integerLike("onlyIfExpiresWithinDays")
      .refine((d) => d > 0, { error: (i) => `onlyIfExpiresWithinDays: ${show(i.input)} is not allowed; use a whole number of days above 0` })
      .optional(),
    maxPrice: z
      .number({ error: (i) => `maxPrice: ${show(i.input)} is not a number; use the most you accept to pay, in the account's currency` })
      .refine((p) => p >= 0 && Number.isFinite(p), { error: (i) => `maxPrice: ${show(i.input)} is not allowed; use a price of 0 or more` })
      .optional(),
    plannedFromExpiredTime: z
      .string()
      .refine((s) => s === "" || parseEcsTime(s) !== undefined, {
        error: (i) => `plannedFromExpiredTime: ${show(i.input)} is not an ECS time such as "2027-06-30T16:00Z"; ManualRenewal sets it from its plan, do not set it by hand`,
      })
      .optional(),
    quote: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const planShape = (family: SubscriptionFamily) => z.object(identityFields(family)).strict();

export function intentOf(i: Pick<RenewalIdentity, "period" | "periodUnit" | "expectedRenewDay" | "ensureExpiresAfter">): RenewalIntent {
  if (i.ensureExpiresAfter !== undefined) return { kind: "ensureExpiresAfter", ensureExpiresAfter: i.ensureExpiresAfter };
  if (i.expectedRenewDay !== undefined) return { kind: "expectedRenewDay", expectedRenewDay: i.expectedRenewDay };
  return { kind: "period", period: i.period ?? 1, periodUnit: i.periodUnit ?? "Month" };
}

export function describeIntent(intent: RenewalIntent): string {
  if (intent.kind === "period") return `renew by ${intent.period} ${intent.periodUnit}${intent.period === 1 ? "" : "s"}`;
  if (intent.kind === "expectedRenewDay") return `renew to the unified expiry day ${intent.expectedRenewDay}`;
  return `make it expire after ${intent.ensureExpiresAfter}`;
}

/** Deterministic: the same declaration and intent always give the same token; 64 hex characters (ECS allows 64 ASCII). */
export function clientTokenFor(i: Pick<RenewalIdentity, "scope" | "regionId" | "renewalKey"> & { id: string; intent: RenewalIntent }): string {
  // Every family's ids have a prefix of their own, so the id alone keeps tokens of families apart (and
  // leaves the instance tokens of earlier releases as they were).
  return createHash("sha256")
    .update(JSON.stringify(["pulumi-alicloud-renewal/v1", i.scope, i.regionId, i.id, i.intent, i.renewalKey ?? ""]))
    .digest("hex");
}

export interface CheckContext {
  defaultRegion?: string;
  now: Date;
  /** The account's site (stack config alicloud-renewal:site); default china. */
  site?: Site;
  siteProblem?: string;
}

export type CheckOutcome = { inputs: Record<string, unknown>; failures: CheckFailure[] };

/** The order's check: every input ManualRenewal takes, canonical, with the derived client token. */
export function checkRenewalOrder(olds: Record<string, unknown>, news: Record<string, unknown>, context: CheckContext): CheckOutcome {
  return checkWith(orderShape, olds, news, context);
}

/** The plan's check: only what identifies the renewal, so that it is replaced exactly when the order is. */
export function checkRenewalPlan(olds: Record<string, unknown>, news: Record<string, unknown>, context: CheckContext): CheckOutcome {
  return checkWith(planShape, olds, news, context);
}

function checkWith(shapeFor: (family: SubscriptionFamily) => z.ZodObject, olds: Record<string, unknown>, news: Record<string, unknown>, context: CheckContext): CheckOutcome {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(news)) if (!k.startsWith("__") && v !== undefined && v !== null) raw[k] = v;
  if (raw.regionId === undefined && context.defaultRegion) raw.regionId = context.defaultRegion;
  const failures: CheckFailure[] = [];
  if (context.siteProblem) failures.push({ property: "", reason: context.siteProblem });
  if (raw.regionId === undefined) {
    failures.push({ property: "regionId", reason: "regionId: nothing is set; set regionId, or stack config alicloud:region, or ALIBABA_CLOUD_REGION_ID" });
  }
  // Preview passes values not known yet; validate the rest with stand-ins, keep the unknowns as they are.
  const unknownKeys = Object.keys(raw).filter((k) => isUnknown(raw[k]));
  const family = familyOf(raw);
  const ids = ID_KEYS.filter((k) => raw[k] !== undefined);
  if (ids.length > 1) {
    failures.push({ property: ids[1], reason: `${ids[1]}: ${show(raw[ids[1]])} cannot be combined with ${ids[0]}; a ManualRenewal renews one subscription: give exactly one of ${list(ID_KEYS)}` });
  }
  const stand: Record<string, unknown> = { ...Object.fromEntries(RENEWABLE.map((f) => [f.idInput, `${f.id.prefix}unknown0`])), regionId: "unknown-region", period: 1, periodUnit: "Month", expectedRenewDay: 1, ensureExpiresAfter: "2999-01-01", onlyIfExpiresWithinDays: 1, maxPrice: 0, renewalKey: "", scope: "unknown", quote: {}, plannedFromExpiredTime: "" };
  const probe = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, isUnknown(v) && k in stand ? stand[k] : v]));
  if (probe.regionId === undefined) probe.regionId = "unknown-region";

  const parsed = shapeFor(family).safeParse(probe);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) failures.push({ property: key, reason: `${key}: unknown property; ManualRenewal takes ${list(TAKES)}` });
        continue;
      }
      const property = String(issue.path[0] ?? "");
      failures.push({ property, reason: issue.message });
    }
    return { inputs: { ...news }, failures };
  }
  if (ids.length === 0) {
    const others = RENEWABLE.filter((f) => f !== INSTANCE);
    const or = (words: string[]) => `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
    failures.push({ property: INSTANCE.idInput, reason: `${idMissing(INSTANCE)}; to renew a ${or(others.map((f) => f.noun))}, give ${or(others.map((f) => f.idInput))} instead` });
  }
  const v = parsed.data as Record<string, unknown> & Partial<RenewalOrderInputs>;

  // One intent at a time, each with its own valid values.
  const intents = (["period", "expectedRenewDay", "ensureExpiresAfter"] as const).filter((k) => raw[k] !== undefined);
  if (intents.length > 1) {
    failures.push({ property: intents[1], reason: `${intents[1]}: ${show(raw[intents[1]])} cannot be combined with ${intents[0]}; give one intent: period (+ periodUnit), expectedRenewDay, or ensureExpiresAfter` });
  }
  if (raw.periodUnit !== undefined && raw.period === undefined && intents.length > 0) {
    failures.push({ property: "periodUnit", reason: `periodUnit: ${show(raw.periodUnit)} applies only to period; remove it, or use period instead of ${intents[0]}` });
  }
  const renewal = family.renewal!;
  if (intents[0] === "expectedRenewDay" && family !== INSTANCE) {
    failures.push({ property: "expectedRenewDay", reason: `expectedRenewDay: ${show(raw.expectedRenewDay)} is not allowed for a ${family.noun}: ${renewal.action} renews by period only (the unified expiration day is RenewInstance's); use period (+ periodUnit) or ensureExpiresAfter` });
  }
  if (raw.maxPrice !== undefined && !renewal.priceable) {
    failures.push({ property: "maxPrice", reason: `maxPrice: ${show(raw.maxPrice)} cannot be checked for a ${family.noun}: DescribeRenewalPrice prices ECS instances only, so the guard would refuse every renewal; remove maxPrice (onlyIfExpiresWithinDays still guards when it renews)` });
  }
  if (!unknownKeys.includes("period") && !unknownKeys.includes("periodUnit") && intents[0] !== "expectedRenewDay" && intents[0] !== "ensureExpiresAfter") {
    const site = context.site ?? "china";
    const unit = v.periodUnit ?? "Month";
    const period = v.period ?? 1;
    const allowed = renewal.periods[site][unit];
    if (!allowed) {
      const units = renewal.units.filter((u) => renewal.periods[site][u]);
      failures.push({ property: "periodUnit", reason: `periodUnit: "${unit}" is not allowed${onSite(site)}; use one of ${list(units)}` });
    } else if (!allowed.includes(period)) {
      failures.push({ property: "period", reason: `period: ${period} is not allowed with periodUnit "${unit}"${onSite(site)}; use one of ${list(allowed)}` });
    }
  }
  // A target date must lie ahead when it is first declared; later runs keep it even after it passes.
  if (v.ensureExpiresAfter !== undefined && !unknownKeys.includes("ensureExpiresAfter") && olds.ensureExpiresAfter !== v.ensureExpiresAfter) {
    if (Date.parse(v.ensureExpiresAfter) <= context.now.getTime()) {
      failures.push({ property: "ensureExpiresAfter", reason: `ensureExpiresAfter: ${show(v.ensureExpiresAfter)} is in the past; use a date after ${context.now.toISOString().slice(0, 10)}` });
    }
  }
  if (failures.length) return { inputs: { ...news }, failures };

  const inputs: Record<string, unknown> = { ...v };
  delete inputs.clientToken;
  // With no intent given, the intent is one month: canonical, so the preview shows what will be ordered.
  if (intents.length === 0) {
    inputs.period = 1;
    inputs.periodUnit = "Month";
  } else if (intents[0] === "period") inputs.periodUnit = v.periodUnit ?? "Month";
  for (const k of unknownKeys) inputs[k] = raw[k];
  if (inputs.plannedFromExpiredTime === "") delete inputs.plannedFromExpiredTime;

  // While a part of it is unknown (preview, before the instance exists), so is the token.
  if (IDENTITY_KEYS.some((k) => unknownKeys.includes(k))) inputs.clientToken = UNKNOWN;
  else {
    const identity = inputs as unknown as RenewalIdentity;
    const id = subscriptionIdOf(identity);
    inputs.clientToken = clientTokenFor({ ...identity, id, intent: intentOf(identity) });
    // A resource renamed with an alias keeps its renewal: only the scope changed, so keep the old scope
    // and token instead of ordering again under a new one.
    if (typeof olds.scope === "string" && typeof olds.clientToken === "string" && olds.scope !== identity.scope) {
      if (clientTokenFor({ ...identity, id, scope: olds.scope, intent: intentOf(identity) }) === olds.clientToken) {
        inputs.scope = olds.scope;
        inputs.clientToken = olds.clientToken;
      }
    }
  }
  for (const k of INTERNAL) if (inputs[k] === undefined) delete inputs[k];
  return { inputs, failures };
}
