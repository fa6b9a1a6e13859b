// What a provider host process shares across every resource it serves: settings resolved once from
// the stack config, one ECS API (clients, call counts) and one batcher per process.

import { EcsApi, type EcsApiOptions } from "./ecs/client";
import { BatchedInstances } from "./ecs/instances";
import { EmrApi } from "./emr/client";
import { BatchedSubscriptions } from "./families/batched";
import { FAMILIES, FAMILY_KINDS, type FamilyKind } from "./families";
import type { BatcherOptions } from "./ecs/batcher";
import { redact } from "./ecs/errors";
import { resolveSettings, secretsOf, type ConfigGetter, type ProviderSettings } from "./settings";

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export interface ProviderContext {
  settings: ProviderSettings;
  api: EcsApi;
  /** E-MapReduce 2021-03-20, through the generic OpenAPI client. */
  emr: EmrApi;
  instances: BatchedInstances;
  /** Every family's batched view; `families.instance` is `instances`. */
  families: Record<FamilyKind, BatchedSubscriptions>;
  log: Logger;
  now(): Date;
  /** How long a write may take to show in a read before we call it failed. */
  consistencyTimeoutMs: number;
  /** How long to wait before re-sending an order ECS says is still processing. */
  processingWaitMs: number;
  /** Instances whose settings a create or update in this process wrote; delete must not undo those. */
  claimed: Set<string>;
}

/** What every check needs from the settings: the default region and the site (check calls no API). */
export function checkContext(ctx: ProviderContext): { defaultRegion?: string; site: ProviderSettings["site"]; siteProblem?: string; now: Date } {
  const { region, site, siteProblem } = ctx.settings;
  return { defaultRegion: region, site, siteProblem, now: ctx.now() };
}

/** Logs through Pulumi's log API (engine diagnostics when connected, stderr otherwise), secrets redacted. */
function pulumiLogger(secrets: string[]): Logger {
  const log = () => (require("@pulumi/pulumi") as typeof import("@pulumi/pulumi")).log;
  return {
    info: (m) => void log().info(redact(m, secrets)),
    warn: (m) => void log().warn(redact(m, secrets)),
  };
}

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

export function createContext(config: ConfigGetter, env: NodeJS.ProcessEnv = process.env): ProviderContext {
  const settings = resolveSettings(config, env);
  const secrets = secretsOf(settings);
  const log = pulumiLogger(secrets);
  // Tuning knobs for tests and the benchmark; users never need them.
  const batching: Partial<BatcherOptions> = {};
  const maxBatch = envNumber("ALICLOUD_RENEWAL_MAX_BATCH");
  if (maxBatch) batching.maxBatch = Math.min(100, maxBatch);
  const apiOptions: EcsApiOptions = {
    log: (m) => log.info(m),
    concurrency: envNumber("ALICLOUD_RENEWAL_CONCURRENCY"),
    retry: { baseDelayMs: envNumber("ALICLOUD_RENEWAL_RETRY_BASE_MS") },
  };
  const api = new EcsApi(settings, apiOptions);
  const emr = new EmrApi(settings, apiOptions);
  const instances = new BatchedInstances(api, { ...batching, warn: (m) => log.warn(m) }, { api, emr });
  const families = Object.fromEntries(
    FAMILY_KINDS.map((k) => [k, k === "instance" ? instances : new BatchedSubscriptions(FAMILIES[k], { api, emr }, batching)]),
  ) as Record<FamilyKind, BatchedSubscriptions>;
  return {
    settings,
    api,
    emr,
    instances,
    families,
    log,
    now: () => new Date(),
    consistencyTimeoutMs: envNumber("ALICLOUD_RENEWAL_CONSISTENCY_TIMEOUT_MS") ?? 30_000,
    processingWaitMs: 5 * (envNumber("ALICLOUD_RENEWAL_RETRY_BASE_MS") ?? 200),
    claimed: new Set(),
  };
}
