// `report --format prometheus`, read back by a parser of the text exposition format, and checked against the
// JSON and markdown of the same fleet: one data model, one count of what is at risk.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import parsePrometheus, { type MetricFamily } from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FLEET, startEmulator, type Emulator } from "./emulator";

const exec = promisify(execFile);
const BIN = path.resolve(__dirname, "..", "node_modules", ".bin", "pulumi-alicloud-renewal");
const ARGS = ["report", "--products", "all", "--all-regions", "--all"];
let emulator: Emulator;
let env: NodeJS.ProcessEnv;

interface Row {
  product: string;
  kind: string;
  instanceId: string;
  regionId: string;
  renewalStatus: string;
  expiredTime: string;
  releaseTime: string;
  daysLeft: number;
  autoRenewEnabled: boolean;
  atRisk: boolean;
  nextAutoRenewDeduction?: string;
}

beforeAll(async () => {
  emulator = await startEmulator({ fleet: DEMO_FLEET, quiet: true });
  env = { ...process.env, ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret", ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url, ALIBABA_CLOUD_BSS_ENDPOINT: emulator.url, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" };
});
afterAll(() => emulator.close());

const run = async (format: string) => (await exec(BIN, [...ARGS, "--format", format], { env })).stdout;

describe("report --format prometheus", () => {
  it("parses as the text exposition format: gauges with HELP, units in the names, one series per subscription and label set", async () => {
    const [text, json, markdown] = await Promise.all([run("prometheus"), run("json"), run("markdown")]);
    const families = parsePrometheus(text);
    const byName = new Map<string, MetricFamily>(families.map((f) => [f.name, f]));
    expect([...byName.keys()].sort()).toEqual([
      "alicloud_renewal_report_timestamp_seconds",
      "alicloud_subscription_at_risk",
      "alicloud_subscription_auto_renew_enabled",
      "alicloud_subscription_expiry_timestamp_seconds",
      "alicloud_subscription_next_auto_renew_deduction_timestamp_seconds",
      "alicloud_subscription_release_timestamp_seconds",
      "alicloud_subscription_remaining_days",
      "alicloud_subscriptions_at_risk",
      "alicloud_subscriptions_reported",
    ]);
    for (const f of families) {
      expect(f.type, f.name).toBe("GAUGE");
      expect(f.help.length, f.name).toBeGreaterThan(10);
    }

    const report = JSON.parse(json) as { atRisk: number; instances: Row[] };
    const rows = report.instances;
    expect(rows.length).toBe(13);
    const series = (name: string) => new Map(byName.get(name)!.metrics.map((m) => [m.labels!.id, m]));
    const expiry = series("alicloud_subscription_expiry_timestamp_seconds");
    const left = series("alicloud_subscription_remaining_days");
    const auto = series("alicloud_subscription_auto_renew_enabled");
    const risk = series("alicloud_subscription_at_risk");
    const release = series("alicloud_subscription_release_timestamp_seconds");
    const next = series("alicloud_subscription_next_auto_renew_deduction_timestamp_seconds");
    expect(expiry.size).toBe(rows.length);
    for (const r of rows) {
      const e = expiry.get(r.instanceId)!;
      expect(e.labels).toEqual({ product: r.product, kind: r.kind, region: r.regionId, id: r.instanceId, renewal_status: r.renewalStatus });
      expect(Number(e.value)).toBe(Date.parse(r.expiredTime) / 1000);
      expect(Number(left.get(r.instanceId)!.value)).toBe(r.daysLeft);
      expect(Number(auto.get(r.instanceId)!.value)).toBe(r.autoRenewEnabled ? 1 : 0);
      expect(Number(risk.get(r.instanceId)!.value)).toBe(r.atRisk ? 1 : 0);
      expect(Number(release.get(r.instanceId)!.value)).toBe(Date.parse(r.releaseTime) / 1000);
      expect(next.get(r.instanceId)?.value).toBe(r.nextAutoRenewDeduction ? String(Date.parse(r.nextAutoRenewDeduction) / 1000) : undefined);
    }

    // The same count everywhere: the gauge, the sum of the per-subscription flags, the JSON and the markdown.
    const atRisk = Number(byName.get("alicloud_subscriptions_at_risk")!.metrics[0].value);
    expect(atRisk).toBe([...risk.values()].reduce((n, m) => n + Number(m.value), 0));
    expect(atRisk).toBe(report.atRisk);
    expect(markdown).toContain(`${rows.length} subscription instances, ${atRisk} at risk of lapsing.`);
    expect(Number(byName.get("alicloud_subscriptions_reported")!.metrics[0].value)).toBe(rows.length);
    const generated = Number(byName.get("alicloud_renewal_report_timestamp_seconds")!.metrics[0].value);
    expect(Math.abs(generated * 1000 - Date.now())).toBeLessThan(60_000);
  });
});
