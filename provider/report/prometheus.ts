// The report as Prometheus text exposition (for node-exporter's textfile collector or a scrape), written by
// prom-client so names, HELP/TYPE lines and label escaping follow the format. Units are in the names.

import type { Report } from "./model";

const LABELS = ["product", "kind", "region", "id", "renewal_status"] as const;

export async function renderPrometheus(r: Report): Promise<string> {
  const { Gauge, Registry } = require("prom-client") as typeof import("prom-client");
  const registry = new Registry();
  const gauge = (name: string, help: string, labelled = true) =>
    new Gauge({ name, help, registers: [registry], ...(labelled ? { labelNames: LABELS } : {}) });
  const expiry = gauge("alicloud_subscription_expiry_timestamp_seconds", "When the subscription expires (stops), as a Unix time.");
  const left = gauge("alicloud_subscription_remaining_days", "Whole days until the subscription expires; negative once expired.");
  const auto = gauge("alicloud_subscription_auto_renew_enabled", "1 when auto-renew is on (RenewalStatus AutoRenewal), else 0.");
  const risk = gauge("alicloud_subscription_at_risk", "1 when the subscription lapses unless someone acts, else 0.");
  const release = gauge("alicloud_subscription_release_timestamp_seconds", "When the subscription is released if it is not renewed, as a Unix time.");
  const deduction = gauge("alicloud_subscription_next_auto_renew_deduction_timestamp_seconds", "The next auto-renew deduction attempt (daily from 08:00 UTC+8 on the 9th day before expiry), as a Unix time.");
  const atRisk = gauge("alicloud_subscriptions_at_risk", "How many subscriptions in the report lapse unless someone acts.", false);
  const listed = gauge("alicloud_subscriptions_reported", "How many subscriptions the report lists.", false);
  const generated = gauge("alicloud_renewal_report_timestamp_seconds", "When the report was read, as a Unix time.", false);
  const seconds = (iso: string) => Date.parse(iso) / 1000;
  for (const s of r.subscriptions) {
    const labels = { product: s.product, kind: s.kind, region: s.regionId, id: s.instanceId, renewal_status: s.renewalStatus };
    expiry.set(labels, seconds(s.expiredTime));
    left.set(labels, s.daysLeft);
    auto.set(labels, s.autoRenewEnabled ? 1 : 0);
    risk.set(labels, s.atRisk ? 1 : 0);
    release.set(labels, seconds(s.releaseTime));
    if (s.nextAutoRenewDeduction) deduction.set(labels, seconds(s.nextAutoRenewDeduction));
  }
  atRisk.set(r.atRisk);
  listed.set(r.subscriptions.length);
  generated.set(seconds(r.generatedAt));
  return registry.metrics();
}
