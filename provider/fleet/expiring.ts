// Which subscriptions expire soon: the query behind getExpiringInstances, the fleet example and the report.
// It picks the row sources (ECS instances per region, BSS for other products), runs them within bounds,
// merges their rows (an ECS row, with its auto-renew attributes, wins over BSS's view of the same instance)
// and judges every row once (subscription.ts).

import type { BssApi } from "../bss/client";
import type { EcsApi } from "../ecs/client";
import type { EmrApi } from "../emr/client";
import { FAMILIES, FAMILY_KINDS, type FamilyKind } from "../families";
import { Semaphore } from "../ecs/retry";
import { bssSubscriptionFacts } from "./bss-subscriptions";
import { ecsInstanceFacts, type ExpiryWindow } from "./ecs-instances";
import { familyFacts } from "./family-subscriptions";
import { assess, bySoonestExpiry, RELEASE_AFTER_DAYS, type Subscription, type SubscriptionFacts } from "./subscription";

export type { ExpiringInstance, Risk, Subscription } from "./subscription";

/** "ecs" (the default) reads ECS directly; any other BSS product code, or "all", reads BSS too. */
export type ProductSelection = string[] | "all";

/** Which families ECS (and EMR) are read for directly: "instance" (the default), the others, or "all". */
export type KindSelection = FamilyKind[] | "all";

export interface ExpiringQuery {
  /** Region ids to look in, or "all" for every region the account has (DescribeRegions). */
  regions: string[] | "all";
  /** Subscriptions expiring within this many days from now (default 15, the console's "urgent renewal" view). Infinity: no bound. */
  withinDays?: number;
  /** Include subscriptions that already expired and are not released yet (default true). */
  includeExpired?: boolean;
  /** Only ECS instances carrying all these tags, e.g. `{ "acs:emr:clusterId": "C-123" }` (BSS rows have no tags). */
  tags?: Record<string, string>;
  /** Default ["ecs"]. */
  products?: ProductSelection;
  /**
   * Default ["instance"]: of ECS, only instances. "dedicatedHost", "reservedInstance", "elasticityAssurance"
   * and "emrCluster" (the EMR fee, read through EMR) add those families, with their auto-renew settings;
   * "all" reads every family. Applies when products include "ecs" (or are "all").
   */
  kinds?: KindSelection;
}

export interface FleetApis {
  ecs: EcsApi;
  /** Needed when products name anything other than "ecs". */
  bss?: BssApi;
  /** Needed when kinds include "emrCluster". */
  emr?: EmrApi;
}

export interface RegionProgress {
  done: number;
  total: number;
  regionId: string;
  /** Rows found in that region. */
  found: number;
}

export interface FindOptions {
  now?: Date;
  /** Told after each region's ECS rows are in. */
  onRegion?: (p: RegionProgress) => void;
  /** Regions read at once (each region has its own client and rate limits); default 4. */
  regionConcurrency?: number;
}

const DAY_MS = 86_400_000;

export async function findExpiringInstances(apis: FleetApis, query: ExpiringQuery, options: FindOptions = {}): Promise<Subscription[]> {
  const now = options.now ?? new Date();
  const withinDays = query.withinDays ?? 15;
  const products = query.products ?? ["ecs"];
  const tagged = Object.keys(query.tags ?? {}).length > 0;
  // Whole minutes, the precision of ECS's expiry filter, so both APIs cut the window at the same instants.
  const minute = (t: number) => new Date(Math.floor(t / 60_000) * 60_000);
  const window: ExpiryWindow = {
    // Look back far enough to see every expired subscription that is not released yet.
    start: minute((query.includeExpired ?? true) ? now.getTime() - (RELEASE_AFTER_DAYS + 1) * DAY_MS : now.getTime()),
    ...(Number.isFinite(withinDays) ? { end: minute(now.getTime() + withinDays * DAY_MS) } : {}),
  };
  const readsEcs = products === "all" || products.includes("ecs");
  const bssProducts: ProductSelection = products === "all" ? "all" : products.filter((p) => p !== "ecs");
  const readsBss = !tagged && (bssProducts === "all" || bssProducts.length > 0);
  if (readsBss && !apis.bss) throw new Error(`products ${JSON.stringify(products)} need the BSS API`);

  const kinds = query.kinds === "all" ? FAMILY_KINDS : query.kinds ?? ["instance"];
  // Tags are an instance filter (the other families' reads carry none): with tags, instances only.
  const others = readsEcs && !tagged ? kinds.filter((k) => k !== "instance") : [];
  if (others.includes("emrCluster") && !apis.emr) throw new Error(`kinds ${JSON.stringify(kinds)} need the EMR API`);
  const [ecsFacts, familyRows, bssFacts] = await Promise.all([
    readsEcs && kinds.includes("instance") ? ecsRows(apis.ecs, query, window, options) : Promise.resolve([]),
    others.length ? familyRowsOf(apis, others, query, window) : Promise.resolve([]),
    readsBss ? bssSubscriptionFacts(apis.bss!, { products: bssProducts, window }) : Promise.resolve([]),
  ]);
  const wanted = query.regions === "all" ? undefined : new Set(query.regions);
  const seen = new Set<string>();
  const rows: Subscription[] = [];
  for (const f of [...ecsFacts, ...familyRows, ...bssFacts]) {
    const key = `${f.product}|${f.id}`;
    if (seen.has(key)) continue;
    if (wanted && f.region !== "global" && !wanted.has(f.region)) continue;
    seen.add(key);
    rows.push(assess(f, now));
  }
  return rows.sort(bySoonestExpiry);
}

/** The other families' rows, per region and family, four at a time. */
async function familyRowsOf(apis: FleetApis, kinds: FamilyKind[], query: ExpiringQuery, window: ExpiryWindow): Promise<SubscriptionFacts[]> {
  const regions = query.regions === "all" ? (await apis.ecs.describeRegions()).map((r) => r.regionId) : query.regions;
  const gate = new Semaphore(4);
  const clients = { api: apis.ecs, emr: apis.emr };
  const found = await Promise.all(regions.flatMap((regionId) => kinds.map((k) => gate.run(() => familyFacts(clients, FAMILIES[k], { regionId, window })))));
  return found.flat();
}

async function ecsRows(api: EcsApi, query: ExpiringQuery, window: ExpiryWindow, options: FindOptions): Promise<SubscriptionFacts[]> {
  const regions = query.regions === "all" ? (await api.describeRegions()).map((r) => r.regionId) : query.regions;
  const gate = new Semaphore(options.regionConcurrency ?? 4);
  let done = 0;
  const perRegion = await Promise.all(
    regions.map((regionId) =>
      gate.run(async () => {
        const found = await ecsInstanceFacts(api, { regionId, window, tags: query.tags });
        options.onRegion?.({ done: ++done, total: regions.length, regionId, found: found.length });
        return found;
      }),
    ),
  );
  return perRegion.flat();
}
