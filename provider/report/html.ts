// The report as one self-contained HTML page (inline CSS and SVG, nothing fetched): a timeline with a row per
// subscription, grouped by product and region, today's line, each expiry, the auto-renew deduction window and
// the release date, coloured by risk; the table below. Narrow screens put each label above its bar.

import type { Risk, Subscription } from "../fleet/subscription";
import { minuteUtc, productLabel, renewalLabel, summaryLine, type Report } from "./model";

const DAY_MS = 86_400_000;

const RISK_TEXT: Record<Risk, string> = {
  lapses: "lapses unless someone acts",
  "auto-renew": "auto-renew in time",
  "not-renewal": "set to expire (NotRenewal)",
};

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const day = (t: number | string) => new Date(t).toISOString().slice(0, 10);

/** The time span the chart shows: a little before today (or the oldest expiry) to the last release. */
function span(rows: Subscription[], now: number): { start: number; end: number } {
  const expiries = rows.map((s) => Date.parse(s.expiredTime));
  const releases = rows.map((s) => Date.parse(s.releaseTime));
  const first = Math.min(now, ...expiries);
  const end = Math.max(now + DAY_MS, ...releases) + DAY_MS;
  // Some room before today, so its line stands clear of the bars' left ends.
  return { start: first - Math.max(2 * DAY_MS, (end - first) * 0.04), end };
}

/** Tick step in days: the smallest that keeps the axis to 8 labels or fewer. */
function tickStep(days: number): number {
  return [1, 2, 7, 14, 30, 61, 91, 182, 365].find((d) => days / d <= 8) ?? 730;
}

function axis(start: number, end: number, now: number, x: (t: number) => number): string {
  const step = tickStep((end - start) / DAY_MS);
  const first = Math.ceil(start / DAY_MS) * DAY_MS;
  const ticks: string[] = [];
  for (let t = first; t <= end; t += step * DAY_MS) {
    // A label centred this close to an edge would be cut off.
    if (x(t) < 40 || x(t) > 960) continue;
    const label = new Date(t).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
    ticks.push(`<span class="tick" style="left:${(x(t) / 10).toFixed(2)}%">${esc(label)}</span>`);
  }
  return `<div class="row axis" aria-hidden="true"><div class="label"></div><div class="scale">${ticks.join("")}<span class="today-mark${x(now) > 500 ? " late" : ""}" id="today" style="left:${(x(now) / 10).toFixed(2)}%"><span>today</span></span></div></div>`;
}

function bar(s: Subscription, x: (t: number) => number, now: number): string {
  const expiry = Date.parse(s.expiredTime);
  const release = Date.parse(s.releaseTime);
  const parts: string[] = [];
  // The chart starts before every expiry, so each bar is paid from its left end.
  parts.push(`<rect class="paid" x="0" y="4" width="${Math.max(0, x(expiry)).toFixed(1)}" height="16"/>`);
  parts.push(`<rect class="grace" x="${x(expiry).toFixed(1)}" y="7" width="${Math.max(0, x(release) - x(expiry)).toFixed(1)}" height="10"/>`);
  if (s.autoRenewEnabled) {
    const from = Date.parse(s.autoRenewWindowStart);
    parts.push(`<rect class="window" x="${x(from).toFixed(1)}" y="4" width="${Math.max(0, x(expiry) - x(from)).toFixed(1)}" height="16"/>`);
    // One attempt a day at 08:00 UTC+8, the window's start being the first, until expiry.
    for (let t = from; t < expiry; t += DAY_MS) parts.push(`<line class="attempt" x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="4" y2="20"/>`);
  }
  parts.push(`<line class="expiry" x1="${x(expiry).toFixed(1)}" x2="${x(expiry).toFixed(1)}" y1="1" y2="23"/>`);
  parts.push(`<line class="release" x1="${x(release).toFixed(1)}" x2="${x(release).toFixed(1)}" y1="4" y2="20"/>`);
  parts.push(`<line class="today" x1="${x(now).toFixed(1)}" x2="${x(now).toFixed(1)}" y1="0" y2="24"/>`);
  const said = `${s.instanceId}: expires ${minuteUtc(s.expiredTime)} UTC, released ${day(release)} if not renewed; ${RISK_TEXT[s.risk]}`;
  return `<svg class="bar" viewBox="0 0 1000 24" preserveAspectRatio="none" role="img" aria-label="${esc(said)}">${parts.join("")}</svg>`;
}

function timelineRow(s: Subscription, x: (t: number) => number, now: number): string {
  const ago = Math.floor((now - Date.parse(s.expiredTime)) / DAY_MS);
  const left = s.daysLeft >= 0 ? `${s.daysLeft} day${s.daysLeft === 1 ? "" : "s"} left` : `expired ${ago === 0 ? "today" : `${ago} day${ago === 1 ? "" : "s"} ago`}`;
  const meta = `${s.kind !== s.product ? `${s.kind} · ` : ""}${day(s.expiredTime)} · ${left} · ${renewalLabel(s)}`;
  return (
    `<div class="row sub risk-${s.risk}" data-id="${esc(s.instanceId)}" data-risk="${s.risk}">` +
    `<div class="label"><span class="id">${esc(s.instanceId)}</span><span class="meta">${esc(meta)}</span>` +
    (s.warning ? `<span class="warn">${esc(s.warning)}</span>` : "") +
    `</div>${bar(s, x, now)}</div>`
  );
}

function groups(rows: Subscription[]): Array<[string, Subscription[]]> {
  const map = new Map<string, Subscription[]>();
  const sorted = [...rows].sort((a, b) => a.product.localeCompare(b.product) || a.regionId.localeCompare(b.regionId));
  for (const s of sorted) {
    const key = `${s.product} · ${s.regionId}`;
    if (!map.has(key)) map.set(key, []);
    map.get(key)!.push(s);
  }
  for (const list of map.values()) list.sort((a, b) => a.expiredTime.localeCompare(b.expiredTime) || a.instanceId.localeCompare(b.instanceId));
  return [...map.entries()];
}

function table(rows: Subscription[]): string {
  const head = ["subscription", "product", "region", "expires (UTC)", "days left", "renewal", "next deduction (UTC)", "released if not renewed", "status"];
  const body = rows.map((s) => {
    const cells = [
      `<span class="dot"></span>${esc(s.instanceId)}`,
      esc(productLabel(s)),
      esc(s.regionId),
      esc(minuteUtc(s.expiredTime)),
      String(s.daysLeft),
      esc(renewalLabel(s)),
      s.nextAutoRenewDeduction ? esc(minuteUtc(s.nextAutoRenewDeduction)) : "–",
      esc(day(s.releaseTime)),
      esc(s.warning ?? RISK_TEXT[s.risk]),
    ];
    // data-label: on a phone each row becomes a card that names its fields.
    return `<tr class="risk-${s.risk}">${cells.map((c, k) => `<td data-label="${head[k]}"${k === 4 ? ' class="num"' : ""}>${c}</td>`).join("")}</tr>`;
  });
  return `<div class="table-wrap"><table><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${body.join("")}</tbody></table></div>`;
}

const CSS = `
:root{--lapses:#c5221f;--lapses-tint:#f6cbc7;--auto:#188038;--auto-tint:#c7e6cf;--not:#5f6368;--not-tint:#dadce0;--window:#f9ab00;--today:#1a73e8;--ink:#202124;--label:17rem}
*{box-sizing:border-box}
body{margin:0;padding:1rem;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:#fff}
h1{font-size:1.3rem;margin:0 0 .3rem}
.summary{margin:.2rem 0 .8rem;font-size:1.05rem}
.summary strong{color:var(--lapses)}
.legend{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;padding:0;margin:0 0 .5rem;list-style:none;font-size:.9rem}
.legend i{display:inline-block;width:1.4rem;height:.8rem;margin-right:.35rem;vertical-align:-.05rem;border-radius:2px}
.how{font-size:.85rem;color:#5f6368;margin:.2rem 0 1rem;max-width:60rem}
.timeline{border-top:1px solid #dadce0}
.row{display:grid;grid-template-columns:var(--label) 1fr;gap:.75rem;align-items:center;padding:.3rem 0;border-bottom:1px solid #f1f3f4}
.label{min-width:0;display:flex;flex-direction:column}
.id{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.9rem;font-weight:600;overflow-wrap:anywhere}
.meta,.warn{font-size:.8rem;color:#5f6368}
.risk-lapses .warn{color:var(--lapses);font-weight:600}
.bar{display:block;width:100%;height:24px}
.bar line{vector-effect:non-scaling-stroke}
.risk-lapses .paid{fill:var(--lapses)} .risk-lapses .grace{fill:var(--lapses-tint)}
.risk-auto-renew .paid{fill:var(--auto)} .risk-auto-renew .grace{fill:var(--auto-tint)}
.risk-not-renewal .paid{fill:var(--not)} .risk-not-renewal .grace{fill:var(--not-tint)}
.window{fill:var(--window);opacity:.85}
.attempt{stroke:#7a4f00;stroke-width:1}
.expiry{stroke:var(--ink);stroke-width:2}
.release{stroke:var(--ink);stroke-width:3}
.today{stroke:var(--today);stroke-width:2}
.axis{position:sticky;top:0;background:#fff;z-index:1;border-bottom:1px solid #dadce0}
.scale{position:relative;height:2.5rem;font-size:.75rem;color:#5f6368}
.tick{position:absolute;top:.2rem;transform:translateX(-50%);white-space:nowrap}
.today-mark{position:absolute;top:1.2rem;bottom:0;width:2px;margin-left:-1px;background:var(--today)}
.today-mark span{position:absolute;bottom:.1rem;left:5px;background:var(--today);color:#fff;padding:0 .3rem;border-radius:3px;font-weight:600;white-space:nowrap}
.today-mark.late span{left:auto;right:5px}
h2.group{font-size:.95rem;margin:.9rem 0 .1rem;padding:.2rem 0;border-bottom:1px solid #dadce0}
h2.group span{font-weight:400;color:#5f6368}
.table-wrap{overflow-x:auto;margin-top:1.5rem}
table{border-collapse:collapse;font-size:.85rem;min-width:100%}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e8eaed;vertical-align:top}
td:nth-child(-n+3){white-space:nowrap}
td:last-child{min-width:13rem}
td.num{text-align:right}
.dot{display:inline-block;width:.65rem;height:.65rem;border-radius:50%;margin-right:.4rem}
tr.risk-lapses .dot{background:var(--lapses)} tr.risk-auto-renew .dot{background:var(--auto)} tr.risk-not-renewal .dot{background:var(--not)}
footer{margin-top:1rem;font-size:.8rem;color:#5f6368}
@media (max-width:640px){body{padding:.6rem}.row{grid-template-columns:1fr;gap:.15rem}.axis .label{display:none}.tick:nth-child(even){display:none}
thead{display:none}table,tbody,tr,td{display:block;min-width:0}tr{padding:.4rem 0;border-bottom:1px solid #dadce0}td{border:0;padding:.05rem 0;white-space:normal}
td::before{content:attr(data-label) ": ";color:#5f6368}td:first-child::before{content:none}td:first-child{font-weight:600}td.num{text-align:left}}
`;

export function renderHtml(r: Report): string {
  const now = Date.parse(r.generatedAt);
  const rows = r.subscriptions;
  const { start, end } = span(rows, now);
  // Chart x in viewBox units (0–1000).
  const x = (t: number) => ((t - start) / (end - start)) * 1000;
  const legend = [
    ["var(--lapses)", `${RISK_TEXT.lapses} (${r.byRisk.lapses})`],
    ["var(--auto)", `${RISK_TEXT["auto-renew"]} (${r.byRisk["auto-renew"]})`],
    ["var(--not)", `${RISK_TEXT["not-renewal"]} (${r.byRisk["not-renewal"]})`],
    ["var(--window)", "auto-renew deduction window"],
    ["var(--today)", "today"],
  ]
    .map(([colour, text]) => `<li><i style="background:${colour}"></i>${esc(text)}</li>`)
    .join("");
  const chart = rows.length
    ? axis(start, end, now, x) +
      groups(rows)
        .map(([name, list]) => `<h2 class="group">${esc(name)} <span>(${list.length})</span></h2>` + list.map((s) => timelineRow(s, x, now)).join(""))
        .join("")
    : `<p>No subscription in this report.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.title)}</title><style>${CSS}</style></head>
<body>
<header><h1>${esc(r.title)}</h1>
<p class="summary"><strong>${r.atRisk} at risk</strong> of ${rows.length} subscription${rows.length === 1 ? "" : "s"} · read ${esc(minuteUtc(r.generatedAt))} UTC</p>
<ul class="legend">${legend}</ul>
<p class="how">Each bar is one subscription: paid until it expires (thin black line), then stopped until it is released (thick black line) unless renewed. Auto-renew tries to deduct once a day at 08:00 UTC+8 from the 9th day before expiry (amber, one stroke per attempt). The blue line is today.</p>
</header>
<main><section class="timeline" aria-label="Timeline">${chart}</section>
${table(rows)}</main>
<footer>${esc(summaryLine(r))} Written by pulumi-alicloud-renewal report.</footer>
</body></html>
`;
}
