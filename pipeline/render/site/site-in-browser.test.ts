import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../build.ts";
import { memoryLogger } from "../../effects.ts";
import { nodeEffects } from "../../effects-node.ts";
import { CHROMIUM_MISSING, chromiumPath, launchChromium } from "../../test-support/chromium.ts";
import { REPO_ROOT } from "../../test-support/load-fixture.ts";

/**
 * The sample community's site, written to disk and opened from file:// in headless Chromium, as a
 * reader with no network would open it: charts turn interactive under the page's CSP, nothing is
 * fetched from outside, and the pages fit a phone.
 */
const executable = chromiumPath();
if (!executable) {
  if (process.env.CI === "true") throw new Error(`Chromium is required under CI=true.${CHROMIUM_MISSING}`);
  process.stderr.write(`${CHROMIUM_MISSING}\n`);
}

describe.skipIf(!executable)("the sample site in Chromium", () => {
  let browser: Browser;
  let outDir: string;
  const url = (p: string) => pathToFileURL(path.join(outDir, "site", p)).href;

  beforeAll(async () => {
    outDir = mkdtempSync(path.join(tmpdir(), "c2c-site-"));
    await build(
      {
        projectDir: path.join(REPO_ROOT, "fixtures", "sample-community"),
        outDir,
        c2cRoot: REPO_ROOT,
        version: "0.0.0-test",
        buildDate: "2026-01-15",
      },
      nodeEffects(memoryLogger()),
    );
    browser = await launchChromium(executable as string);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  /** Opens a page and collects what went wrong: script errors, CSP violations, outside requests. */
  async function open(p: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    page.on("request", (r) => {
      if (!r.url().startsWith("file://")) problems.push(`outside request: ${r.url()}`);
    });
    page.on("requestfailed", (r) => problems.push(`failed request: ${r.url()}`));
    await page.goto(url(p), { waitUntil: "load" });
    return { page, problems };
  }

  it("makes every chart interactive from file://, with no errors and no outside requests", async () => {
    const { page, problems } = await open("indicators/early-grade-reading.html");
    const charts = await page.locator("[data-chart]").count();
    expect(charts).toBeGreaterThan(1);
    await expect.poll(() => page.locator("[data-chart].is-live").count(), { timeout: 10_000 }).toBe(charts);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows a tooltip with the year and value when a reader points at the trend line", async () => {
    const { page } = await open("indicators/early-grade-reading.html");
    await expect.poll(() => page.locator("[data-chart].is-live").count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const point = page.locator(".is-live .trend_points_marks path").last();
    await point.hover({ force: true });
    const tooltip = page.locator("#vg-tooltip-element");
    await expect.poll(() => tooltip.textContent(), { timeout: 5_000 }).toContain("2024–25");
    await page.close();
  });

  it("fits a 360-pixel phone screen without sideways scrolling", async () => {
    for (const p of ["index.html", "indicators/early-grade-reading.html", "methods.html", "data.html"]) {
      const { page } = await open(p, 360);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, p).toBeLessThanOrEqual(0);
      await page.close();
    }
  });

  it("keeps the static charts and tables when JavaScript is off", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url("indicators/early-grade-reading.html"));
    expect(await page.locator("[data-chart] svg").count()).toBeGreaterThan(1);
    expect(await page.locator("figcaption").first().textContent()).toMatch(/3rd-grade reading (rose|fell|held)/);
    await context.close();
  });
});
