// One report, five formats: every format reads the same rows and the same judgement of risk.

import { renderHtml } from "./html";
import { buildReport, type Report } from "./model";
import { renderPrometheus } from "./prometheus";
import { renderMarkdown, renderTable } from "./text";

export const REPORT_FORMATS = ["table", "markdown", "json", "html", "prometheus"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export { buildReport, type Report };

export async function renderReport(r: Report, format: ReportFormat): Promise<string> {
  switch (format) {
    case "json":
      return JSON.stringify({ title: r.title, generatedAt: r.generatedAt, atRisk: r.atRisk, instances: r.subscriptions }, null, 2) + "\n";
    case "markdown":
      return renderMarkdown(r);
    case "html":
      return renderHtml(r);
    case "prometheus":
      return renderPrometheus(r);
    default:
      return renderTable(r);
  }
}
