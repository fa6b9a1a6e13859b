// The report as a terminal table or as markdown for a PR comment.

import type { Subscription } from "../fleet/subscription";
import { minuteUtc, productLabel, renewalLabel, summaryLine, type Report } from "./model";

const COLUMNS = ["instance", "product", "region", "expires (UTC)", "days left", "renewal", "auto-renew deduction", "warning"] as const;
const WARNING = COLUMNS.indexOf("warning");

function cells(s: Subscription): string[] {
  return [
    s.instanceId,
    productLabel(s),
    s.regionId,
    s.expiredTime,
    String(s.daysLeft),
    renewalLabel(s),
    s.nextAutoRenewDeduction ? minuteUtc(s.nextAutoRenewDeduction) : "-",
    s.warning ?? "",
  ];
}

export function renderMarkdown(r: Report): string {
  const escape = (c: string) => c.replace(/\|/g, "\\|");
  const rows = r.subscriptions.map((s) => `| ${cells(s).map(escape).map((c, k) => (k === WARNING && s.atRisk ? `:warning: ${c}` : c)).join(" | ")} |`);
  return [`### ${r.title}`, "", `| ${COLUMNS.join(" | ")} |`, `| ${COLUMNS.map(() => "---").join(" | ")} |`, ...rows, "", summaryLine(r)].join("\n") + "\n";
}

export function renderTable(r: Report): string {
  const rows = r.subscriptions.map(cells);
  const widths = COLUMNS.map((c, k) => Math.max(c.length, ...rows.map((row) => row[k].length)));
  const fmt = (row: readonly string[]) => row.map((c, k) => c.padEnd(widths[k])).join("  ").trimEnd();
  return [r.title, "", fmt(COLUMNS), fmt(widths.map((w) => "-".repeat(w))), ...rows.map(fmt), "", summaryLine(r)].join("\n") + "\n";
}
