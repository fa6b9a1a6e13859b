#!/usr/bin/env node
// `pulumi-alicloud-renewal report`: lists subscription instances by days left. Credentials and region
// come from the Alibaba Cloud environment variables and credential chain, as for the SDK's own tools.

import { parseArgs } from "node:util";
import { EcsApi } from "../ecs/client";
import { findExpiringInstances } from "../fleet/expiring";
import { resolveSettings } from "../settings";
import { renderReport, type ReportFormat } from "./report";

const USAGE = `usage: pulumi-alicloud-renewal report [--region R] [--within-days N | --all] [--no-expired] [--tag key=value]... [--format table|markdown|json] [--endpoint URL]`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== "report") {
    process.stderr.write(`${USAGE}\n`);
    return command === "--help" || command === "-h" ? 0 : 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        region: { type: "string" },
        "within-days": { type: "string", default: "15" },
        all: { type: "boolean", default: false },
        "no-expired": { type: "boolean", default: false },
        tag: { type: "string", multiple: true },
        format: { type: "string", default: "table" },
        endpoint: { type: "string" },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const format = values.format as ReportFormat;
  if (!["table", "markdown", "json"].includes(format)) {
    process.stderr.write(`--format: "${format}" is not allowed; use table, markdown or json\n`);
    return 2;
  }
  const withinDays = values.all ? Infinity : Number(values["within-days"]);
  if (!Number.isFinite(withinDays) && !values.all) {
    process.stderr.write(`--within-days: "${values["within-days"]}" is not a number of days\n`);
    return 2;
  }
  const tags: Record<string, string> = {};
  for (const t of values.tag ?? []) {
    const at = t.indexOf("=");
    if (at <= 0) {
      process.stderr.write(`--tag: "${t}" is not key=value\n`);
      return 2;
    }
    tags[t.slice(0, at)] = t.slice(at + 1);
  }
  const settings = resolveSettings((key) => (key === "alicloud-renewal:ecsEndpoint" ? values.endpoint : undefined));
  const regionId = values.region ?? settings.region;
  if (!regionId) {
    process.stderr.write("no region: pass --region or set ALIBABA_CLOUD_REGION_ID\n");
    return 2;
  }
  try {
    const instances = await findExpiringInstances(new EcsApi(settings), { regionId, withinDays, includeExpired: !values["no-expired"], tags });
    const span = values.all ? "all subscription instances" : `expiring within ${withinDays} days`;
    process.stdout.write(renderReport(instances, format, `ECS renewal report: ${regionId}, ${span}`));
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
