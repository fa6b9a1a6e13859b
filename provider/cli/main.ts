#!/usr/bin/env node
// `pulumi-alicloud-renewal report`: subscriptions by days left, as a table, markdown, JSON, an HTML timeline or
// Prometheus metrics. Credentials and region come from the Alibaba Cloud environment variables and credential
// chain, as for the SDK's own tools. Exit codes: 0 done, 1 error, 2 usage, 3 at risk (with --fail-on-risk).

import fs from "node:fs";
import { parseArgs } from "node:util";
import { BssApi } from "../bss/client";
import { EcsApi } from "../ecs/client";
import { EmrApi } from "../emr/client";
import { FAMILY_KINDS, type FamilyKind } from "../families";
import { findExpiringInstances, type KindSelection, type ProductSelection, type RegionProgress } from "../fleet/expiring";
import { buildReport, renderReport, REPORT_FORMATS, type ReportFormat } from "../report";
import { resolveSettings } from "../settings";

const USAGE =
  "usage: pulumi-alicloud-renewal report [--region R | --all-regions] [--within-days N | --all] [--no-expired] [--tag key=value]... " +
  "[--products ecs|all|CODE,...] [--kinds instance|all|KIND,...] [--format table|markdown|json|html|prometheus] [--output FILE] [--fail-on-risk] [--endpoint URL] [--bss-endpoint URL] [--emr-endpoint URL]";

export const EXIT = { ok: 0, error: 1, usage: 2, atRisk: 3 } as const;

class UsageError extends Error {}

const PRODUCT_CODE = /^[a-z][a-z0-9_-]*$/;

function parseProducts(raw: string): ProductSelection {
  if (raw === "all") return "all";
  const codes = raw.split(",").map((s) => s.trim());
  for (const c of codes) if (!PRODUCT_CODE.test(c)) throw new UsageError(`--products: "${c}" is not a product code; use all, or codes such as ecs,rds,slb`);
  return [...new Set(codes)];
}

/** `instance` (the default), `all`, or families such as `instance,dedicatedHost,emrCluster`. */
function parseKinds(raw: string): KindSelection {
  if (raw === "all") return "all";
  const kinds = [...new Set(raw.split(",").map((s) => s.trim()))];
  for (const k of kinds) if (!(FAMILY_KINDS as string[]).includes(k)) throw new UsageError(`--kinds: "${k}" is not a subscription family; use all, or some of ${FAMILY_KINDS.join(", ")}`);
  return kinds as FamilyKind[];
}

function parseTags(list: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of list) {
    const at = t.indexOf("=");
    if (at <= 0) throw new UsageError(`--tag: "${t}" is not key=value`);
    tags[t.slice(0, at)] = t.slice(at + 1);
  }
  return tags;
}

function title(products: ProductSelection, regions: string[] | "all", withinDays: number): string {
  const what = products === "all" ? "Renewal report (all products)" : products.length === 1 && products[0] === "ecs" ? "ECS renewal report" : `Renewal report (${products.join(", ")})`;
  const where = regions === "all" ? "all regions" : regions.join(", ");
  const span = Number.isFinite(withinDays) ? `expiring within ${withinDays} days` : "all subscription instances";
  return `${what}: ${where}, ${span}`;
}

/** One line per region on stderr; rewritten in place on a terminal. */
function progress(): (p: RegionProgress) => void {
  const tty = process.stderr.isTTY;
  return (p) => {
    const line = `regions ${p.done}/${p.total}: ${p.regionId} ${p.found} subscription${p.found === 1 ? "" : "s"}`;
    process.stderr.write(tty ? `\r\x1b[K${line}${p.done === p.total ? "\n" : ""}` : `${line}\n`);
  };
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== "report") {
    process.stderr.write(`${USAGE}\n`);
    return command === "--help" || command === "-h" ? EXIT.ok : EXIT.usage;
  }
  let values;
  let format: ReportFormat;
  let products: ProductSelection;
  let kinds: KindSelection;
  let tags: Record<string, string>;
  let withinDays: number;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        region: { type: "string" },
        "all-regions": { type: "boolean", default: false },
        "within-days": { type: "string", default: "15" },
        all: { type: "boolean", default: false },
        "no-expired": { type: "boolean", default: false },
        tag: { type: "string", multiple: true },
        products: { type: "string", default: "ecs" },
        kinds: { type: "string", default: "instance" },
        format: { type: "string", default: "table" },
        output: { type: "string" },
        "fail-on-risk": { type: "boolean", default: false },
        endpoint: { type: "string" },
        "bss-endpoint": { type: "string" },
        "emr-endpoint": { type: "string" },
      },
    }));
    format = values.format as ReportFormat;
    if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format: "${values.format}" is not allowed; use ${REPORT_FORMATS.join(", ")}`);
    withinDays = values.all ? Infinity : Number(values["within-days"]);
    if (!values.all && !(withinDays >= 0)) throw new UsageError(`--within-days: "${values["within-days"]}" is not a number of days`);
    if (values.region && values["all-regions"]) throw new UsageError("--region and --all-regions: give one of them");
    products = parseProducts(values.products!);
    kinds = parseKinds(values.kinds!);
    tags = parseTags(values.tag ?? []);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const overrides: Record<string, string | undefined> = { "alicloud-renewal:ecsEndpoint": values.endpoint, "alicloud-renewal:bssEndpoint": values["bss-endpoint"], "alicloud-renewal:emrEndpoint": values["emr-endpoint"] };
  const settings = resolveSettings((key) => overrides[key]);
  const region = values.region ?? settings.region;
  if (!region && !values["all-regions"]) {
    process.stderr.write("no region: pass --region (or --all-regions) or set ALIBABA_CLOUD_REGION_ID\n");
    return EXIT.usage;
  }
  const regions = values["all-regions"] ? "all" : [region!];
  try {
    const now = new Date();
    const rows = await findExpiringInstances(
      { ecs: new EcsApi(settings), bss: new BssApi(settings), emr: new EmrApi(settings) },
      { regions, withinDays, includeExpired: !values["no-expired"], tags, products, kinds },
      { now, ...(values["all-regions"] ? { onRegion: progress() } : {}) },
    );
    const report = buildReport(rows, title(products, regions, withinDays), now);
    const text = await renderReport(report, format);
    if (values.output) {
      fs.writeFileSync(values.output, text);
      process.stderr.write(`wrote ${values.output}: ${rows.length} subscriptions, ${report.atRisk} at risk\n`);
    } else process.stdout.write(text);
    return values["fail-on-risk"] && report.atRisk > 0 ? EXIT.atRisk : EXIT.ok;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return EXIT.error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
