// `report --format html --output FILE`, opened in headless Chromium as a person would: on a phone and on a
// desktop, a screenshot each, and what a person checks on them — every id readable, today's line inside the
// chart, at-risk rows in their colour, nothing fetched from the network.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PNG } from "pngjs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FLEET, startEmulator, type Emulator } from "./emulator";
import { openBrowser } from "./support/browser";

const exec = promisify(execFile);
const BIN = path.resolve(__dirname, "..", "node_modules", ".bin", "pulumi-alicloud-renewal");
const OUT = fs.mkdtempSync(path.join(os.tmpdir(), "renewal-html-"));
const PAGE = path.join(OUT, "report.html");
/** The colours of the legend, as a person compares them. */
const COLOURS = { lapses: [0xc5, 0x22, 0x1f], "auto-renew": [0x18, 0x80, 0x38], "not-renewal": [0x5f, 0x63, 0x68], today: [0x1a, 0x73, 0xe8] } as const;

let emulator: Emulator;
let rows: Array<{ instanceId: string; risk: keyof typeof COLOURS; atRisk: boolean }>;

beforeAll(async () => {
  emulator = await startEmulator({ fleet: DEMO_FLEET, quiet: true });
  const env = { ...process.env, ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIemulator", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret", ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url, ALIBABA_CLOUD_BSS_ENDPOINT: emulator.url, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" };
  const args = ["report", "--products", "all", "--all-regions", "--all"];
  const [html, json] = await Promise.all([exec(BIN, [...args, "--format", "html", "--output", PAGE], { env }), exec(BIN, [...args, "--format", "json"], { env })]);
  expect(html.stdout).toBe("");
  expect(html.stderr).toContain(`wrote ${PAGE}: 13 subscriptions`);
  rows = JSON.parse(json.stdout).instances;
});
afterAll(async () => {
  await emulator.close();
});

/** The pixel at CSS coordinates (x, y) of a screenshot taken at `scale` device pixels per CSS pixel. */
function pixel(png: PNG, x: number, y: number, scale: number): [number, number, number] {
  const i = (Math.round(y * scale) * png.width + Math.round(x * scale)) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2]];
}

const near = (a: readonly number[], b: readonly number[]) => a.every((v, k) => Math.abs(v - b[k]) <= 24);

async function look(viewport: { width: number; height: number }, scale: number, name: string): Promise<void> {
  const browser = await openBrowser(viewport, scale);
  try {
    const page: Page = await browser.context.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`file://${PAGE}`);
    const shot = path.join(OUT, `report-${name}.png`);
    const png = PNG.sync.read(await page.screenshot({ path: shot, fullPage: true }));
    console.log(`screenshot (${name}, ${viewport.width}x${viewport.height} CSS px): ${shot}`);

    // Self-contained: the page itself is the only request.
    expect(requests).toEqual([`file://${PAGE}`]);
    // Nothing wider than the screen: no sideways scrolling on a phone.
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(viewport.width);

    const chart = (await page.locator("section.timeline").boundingBox())!;
    for (const r of rows) {
      // Every id is readable in the timeline and in the table, not cut off at either side.
      for (const el of [page.locator(`.row.sub[data-id="${r.instanceId}"] .id`), page.locator("table td:first-child", { hasText: r.instanceId })]) {
        expect(await el.isVisible(), r.instanceId).toBe(true);
        const box = (await el.boundingBox())!;
        expect(box.x, r.instanceId).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, r.instanceId).toBeLessThanOrEqual(viewport.width);
        expect(await el.innerText()).toContain(r.instanceId);
      }
      // The table row is readable to its last cell, without scrolling it sideways.
      const status = (await page.locator("table tr", { hasText: r.instanceId }).locator("td").last().boundingBox())!;
      expect(status.x + status.width, `${r.instanceId} status cell`).toBeLessThanOrEqual(viewport.width);
      const row = page.locator(`.row.sub[data-id="${r.instanceId}"]`);
      expect(await row.getAttribute("data-risk")).toBe(r.risk);

      // The bar is in its risk's colour, where no marker covers it.
      const paid = (await row.locator("rect.paid").boundingBox())!;
      const today = (await row.locator("line.today").boundingBox())!;
      const bar = (await row.locator("svg.bar").boundingBox())!;
      const x = today.x - paid.x > 8 ? paid.x + 3 : Math.min(paid.x + paid.width - 4, today.x + today.width + 4);
      expect(pixel(png, x, paid.y + paid.height / 2, scale), `${r.instanceId} colour`).toSatisfy((p: number[]) => near(p, COLOURS[r.risk]));
      // Today's line crosses the bar, inside the chart.
      expect(today.x).toBeGreaterThan(bar.x);
      expect(today.x + today.width).toBeLessThan(bar.x + bar.width);
      expect(bar.x).toBeGreaterThanOrEqual(chart.x);
      expect(bar.x + bar.width).toBeLessThanOrEqual(chart.x + chart.width);
      expect(pixel(png, today.x + today.width / 2, today.y + 2, scale), `${r.instanceId} today line`).toSatisfy((p: number[]) => near(p, COLOURS.today));
    }
    // The axis marks today where the bars have their line, with a label that is not cut off.
    const stem = (await page.locator("#today").boundingBox())!;
    const first = (await page.locator(".row.sub line.today").first().boundingBox())!;
    expect(Math.abs(stem.x + stem.width / 2 - (first.x + first.width / 2))).toBeLessThan(2);
    const label = page.locator("#today span");
    expect(await label.innerText()).toBe("today");
    const box = (await label.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(chart.x);
    expect(box.x + box.width).toBeLessThanOrEqual(chart.x + chart.width);

    // The summary a person reads first, in the same numbers as the rows.
    const atRisk = rows.filter((r) => r.atRisk).length;
    expect(await page.locator(".summary strong").innerText()).toBe(`${atRisk} at risk`);
    expect(await page.locator(".row.sub.risk-lapses").count()).toBe(atRisk);
    const groups = await page.locator("h2.group").allInnerTexts();
    expect(groups).toEqual(["ecs · cn-hangzhou (9)", "ecs · cn-shanghai (1)", "kvstore · cn-hangzhou (1)", "rds · cn-hangzhou (1)", "slb · cn-shanghai (1)"]);
  } finally {
    await browser.close();
  }
}

describe("report --format html in Chromium", () => {
  it("on a phone (390 px wide): every id visible, today's line inside the chart, rows in their risk colour", () => look({ width: 390, height: 844 }, 2, "phone"), 60_000);
  it("on a desktop (1280 px wide), the same", () => look({ width: 1280, height: 900 }, 1, "desktop"), 60_000);
});
