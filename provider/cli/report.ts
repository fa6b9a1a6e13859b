// Renders the expiring-instances report: a terminal table, markdown for a PR comment, or JSON.

import type { ExpiringInstance } from "../fleet/expiring";

export type ReportFormat = "table" | "markdown" | "json";

const COLUMNS = ["instance", "region", "expires (UTC)", "days left", "renewal", "auto-renew deduction", "warning"] as const;

function row(i: ExpiringInstance): string[] {
  const renewal = i.renewalStatus === "AutoRenewal" ? `AutoRenewal ${i.autoRenewDuration} ${i.autoRenewPeriodUnit}` : i.renewalStatus;
  return [
    i.instanceId,
    i.regionId,
    i.expiredTime,
    String(i.daysLeft),
    renewal,
    i.nextAutoRenewDeduction ? i.nextAutoRenewDeduction.slice(0, 16).replace("T", " ") : "-",
    i.warning ?? "",
  ];
}

export function renderReport(instances: ExpiringInstance[], format: ReportFormat, title: string): string {
  if (format === "json") return JSON.stringify({ title, instances }, null, 2) + "\n";
  const rows = instances.map(row);
  const atRisk = instances.filter((i) => i.atRisk).length;
  const summary = `${instances.length} subscription instance${instances.length === 1 ? "" : "s"}, ${atRisk} at risk of lapsing.`;
  if (format === "markdown") {
    const escape = (c: string) => c.replace(/\|/g, "\\|");
    const lines = [
      `### ${title}`,
      "",
      `| ${COLUMNS.join(" | ")} |`,
      `| ${COLUMNS.map(() => "---").join(" | ")} |`,
      ...rows.map((r, n) => `| ${r.map(escape).map((c, k) => (k === 6 && instances[n].atRisk ? `:warning: ${c}` : c)).join(" | ")} |`),
      "",
      summary,
    ];
    return lines.join("\n") + "\n";
  }
  const widths = COLUMNS.map((c, k) => Math.max(c.length, ...rows.map((r) => r[k].length)));
  const fmt = (cells: readonly string[]) => cells.map((c, k) => c.padEnd(widths[k])).join("  ").trimEnd();
  return [title, "", fmt(COLUMNS), fmt(widths.map((w) => "-".repeat(w))), ...rows.map(fmt), "", summary].join("\n") + "\n";
}
