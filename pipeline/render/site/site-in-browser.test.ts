import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../build.ts";
import { memoryLogger } from "../../effects.ts";
import { nodeEffects } from "../../effects-node.ts";
import { CHROMIUM_MISSING, chromiumPath, launchChromium } from "../../test-support/chromium.ts";
import { REPO_ROOT } from "../../test-support/load-fixture.ts";

/**
 * The sample community's site, written to disk and opened from file:// in headless Chromium, as a
 * reader with no network would open it: every page of both languages loads cleanly, charts turn
 * interactive under the page's CSP, axe-core finds no WCAG 2.1 AA violation, the keyboard reaches
 * everything, the language switch works, pages fit a phone. The run writes screenshots and the page
 * weights to `.cache/screenshots/` for a person to look at (not `out/`: that is `npm start`'s output
 * folder, which c2c builds only where it made it).
 */
const executable = chromiumPath();
if (!executable) {
  if (process.env.CI === "true") throw new Error(`Chromium is required under CI=true.${CHROMIUM_MISSING}`);
  process.stderr.write(`${CHROMIUM_MISSING}\n`);
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const SHOTS = path.join(REPO_ROOT, ".cache", "screenshots");
const INDICATOR = "indicators/early-grade-reading.html";
const MAIN_PAGES = ["index.html", INDICATOR, "data.html", "methods.html"];

describe.skipIf(!executable)("the sample site in Chromium", () => {
  let browser: Browser;
  let outDir: string;
  const siteDir = () => path.join(outDir, "site");
  const url = (p: string) => pathToFileURL(path.join(siteDir(), p)).href;

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
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  /** Opens a page and collects what went wrong: script errors, CSP violations, failed or outside requests. */
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
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`failed request: ${r.url()} (${r.status()})`);
    });
    await page.goto(url(p), { waitUntil: "load" });
    return { page, problems };
  }

  /** Waits until every chart on the page has been redrawn by vega-embed. */
  async function chartsLive(page: Page): Promise<number> {
    const charts = await page.locator("[data-chart]").count();
    await expect.poll(() => page.locator("[data-chart].is-live").count(), { timeout: 15_000 }).toBe(charts);
    return charts;
  }

  function sitePages(): string[] {
    return (readdirSync(siteDir(), { recursive: true }) as string[])
      .map((p) => p.split(path.sep).join("/"))
      .filter((p) => p.endsWith(".html"))
      .sort();
  }

  it("opens every page of both languages with no error and no failed or outside request, and draws every chart", async () => {
    const pages = sitePages();
    expect(pages.length).toBeGreaterThan(100);
    expect(pages).toContain("es/index.html");
    const failures: string[] = [];
    let charts = 0;
    const queue = [...pages];
    const worker = async () => {
      for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
        const { page, problems } = await open(p);
        try {
          charts += await chartsLive(page);
          expect(await page.locator("[data-chart] svg").count()).toBeGreaterThanOrEqual(
            await page.locator("[data-chart]").count(),
          );
        } catch (e) {
          problems.push(`charts did not all render: ${(e as Error).message.split("\n")[0]}`);
        }
        failures.push(...problems.map((x) => `${p}: ${x}`));
        await page.close();
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(failures).toEqual([]);
    expect(charts).toBeGreaterThan(100);
  }, 240_000);

  it("shows a tooltip with the year and value when a reader points at the trend line", async () => {
    const { page } = await open(INDICATOR);
    await chartsLive(page);
    const point = page.locator(".is-live .trend_points_marks path").last();
    await point.hover({ force: true });
    const tooltip = page.locator("#vg-tooltip-element");
    await expect.poll(() => tooltip.textContent(), { timeout: 5_000 }).toContain("2024–25");
    await page.close();
  });

  it("has no WCAG 2.1 AA violation that axe-core can find, in either language", async () => {
    // Injecting axe needs the CSP bypassed; only this context does so.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const found: string[] = [];
    for (const p of [...MAIN_PAGES, ...MAIN_PAGES.map((x) => `es/${x}`)]) {
      const page = await context.newPage();
      await page.goto(url(p), { waitUntil: "load" });
      await chartsLive(page);
      await page.addScriptTag({ path: AXE });
      const result = (await page.evaluate(() =>
        (
          window as unknown as {
            axe: { run: (c: Document, o: object) => Promise<{ violations: unknown[]; passes: unknown[] }> };
          }
        ).axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
      )) as {
        violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
        passes: unknown[];
      };
      for (const v of result.violations)
        found.push(`${p}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect(result.passes.length, p).toBeGreaterThan(10);
      await page.close();
    }
    await context.close();
    expect(found).toEqual([]);
  }, 120_000);

  it("gives a screen reader each chart as one image named by its sentence, in either language", async () => {
    for (const p of [INDICATOR, `es/${INDICATOR}`]) {
      const { page } = await open(p);
      await chartsLive(page);
      const charts = page.locator("[data-chart]");
      const n = await charts.count();
      expect(n).toBeGreaterThan(3);
      for (let i = 0; i < n; i++) {
        const caption = (await page.locator("figure.chart figcaption").nth(i).textContent()) ?? "";
        expect(caption.length, p).toBeGreaterThan(20);
        // Exposed as an image whose name is the caption: not Vega's labels of each mark and axis.
        await expect.poll(() => page.getByRole("img", { name: caption, exact: true }).count()).toBe(1);
      }
      const exposed = await page.$$eval(
        "[data-chart] svg",
        (svgs) => svgs.filter((svg) => svg.closest("[aria-hidden='true']") === null).length,
      );
      expect(exposed, p).toBe(0);
      await page.close();
    }
  });

  it("gives every chart an embed code tall enough for its page on a 360-pixel phone, in both languages", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 50 } });
    const over: string[] = [];
    let checked = 0;
    for (const lang of ["", "es/"]) {
      const declared = new Map<string, number>();
      for (const f of readdirSync(path.join(siteDir(), `${lang}indicators`))) {
        const html = readFileSync(path.join(siteDir(), `${lang}indicators`, f), "utf8");
        for (const m of html.matchAll(/embed\/([a-z0-9_-]+)\.html&quot;.*?height&#x3D;&quot;(\d+)/g))
          declared.set(m[1] as string, Number(m[2]));
      }
      for (const f of readdirSync(path.join(siteDir(), `${lang}embed`))) {
        const id = f.replace(/\.html$/, "");
        const height = declared.get(id);
        expect(height, `${lang}${id} has no embed code`).toBeDefined();
        await page.goto(url(`${lang}embed/${f}`), { waitUntil: "load" });
        await chartsLive(page);
        // The page's own height at this width (the viewport is shorter than any page).
        const needed = await page.evaluate(() => document.documentElement.scrollHeight);
        if (needed > (height as number)) over.push(`${lang}${id}: needs ${needed} px, the code gives ${height}`);
        checked++;
      }
    }
    await page.close();
    expect(checked).toBeGreaterThan(100);
    expect(over).toEqual([]);
  }, 120_000);

  it("reaches every link, summary and control with Tab, in page order, with the focus visible", async () => {
    for (const p of ["index.html", INDICATOR, "es/methods.html"]) {
      const { page } = await open(p);
      await chartsLive(page);
      const expected = await page.evaluate(() => {
        const all = document.querySelectorAll<HTMLElement>(
          "a[href], summary, button, input, select, textarea, [tabindex]:not([tabindex='-1'])",
        );
        const reachable = Array.from(all).filter((el) => el.checkVisibility({ visibilityProperty: true }));
        reachable.forEach((el, i) => {
          el.dataset.tabOrder = String(i);
        });
        return reachable.length;
      });
      expect(expected, p).toBeGreaterThan(5);
      const seen: string[] = [];
      const invisible: string[] = [];
      for (let i = 0; i < expected; i++) {
        await page.keyboard.press("Tab");
        const focus = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el) return null;
          const style = getComputedStyle(el);
          return {
            order: el.dataset.tabOrder ?? `unexpected ${el.tagName}`,
            outline: style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2,
          };
        });
        seen.push(focus?.order ?? "none");
        if (!focus?.outline) invisible.push(focus?.order ?? "none");
      }
      expect(seen, p).toEqual(Array.from({ length: expected }, (_, i) => String(i)));
      expect(invisible, `${p}: focus not visible`).toEqual([]);
      await page.close();
    }
  }, 60_000);

  it("switches every page to its twin in the other language and back", async () => {
    const { page } = await open("index.html");
    await page.locator("nav.languages a[hreflang='es']").click();
    await page.waitForURL(/\/es\/index\.html$/);
    expect(await page.getAttribute("html", "lang")).toBe("es");
    expect(await page.locator("#continuum-heading").textContent()).toBe("De la cuna a la carrera");
    await page.locator(".card a").first().click();
    await page.waitForURL(/\/es\/indicators\/[^/]+\.html$/);
    const spanish = page.url();
    await page.locator("nav.languages a[hreflang='en']").click();
    await page.waitForURL(spanish.replace("/es/", "/"));
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page.close();
  });

  it("fits a 360-pixel phone screen without sideways scrolling, in both languages", async () => {
    for (const p of [...MAIN_PAGES, ...MAIN_PAGES.map((x) => `es/${x}`)]) {
      const { page } = await open(p, 360);
      await chartsLive(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, p).toBeLessThanOrEqual(0);
      // No chart cuts a name short with an ellipsis (a group's name wraps onto a second line instead).
      const cut = await page.$$eval("[data-chart] svg text", (texts) =>
        texts.map((t) => t.textContent ?? "").filter((t) => t.includes("…")),
      );
      expect(cut, p).toEqual([]);
      await page.close();
    }
  }, 60_000);

  it("keeps the static charts and tables when JavaScript is off", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url(INDICATOR));
    expect(await page.locator("[data-chart] svg").count()).toBeGreaterThan(1);
    expect(await page.locator("figcaption").first().textContent()).toMatch(/3rd-grade reading (rose|fell|held)/);
    await context.close();
  });

  it("writes screenshots of the index and an indicator page at desktop and phone widths", async () => {
    const written: string[] = [];
    for (const [p, name] of [
      ["index.html", "index"],
      [INDICATOR, "indicator"],
      ["es/index.html", "es-index"],
    ] as const)
      for (const width of [1280, 360]) {
        if (name === "es-index" && width === 1280) continue;
        const { page } = await open(p, width);
        await chartsLive(page);
        const file = path.join(SHOTS, `${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        written.push(file);
        await page.close();
      }
    const print = await browser.newPage();
    await print.goto(url(INDICATOR));
    await print.emulateMedia({ media: "print" });
    await print.screenshot({ path: path.join(SHOTS, "indicator-print.png"), fullPage: true });
    await print.close();
    for (const f of written) expect(statSync(f).size).toBeGreaterThan(10_000);
    process.stdout.write(`\nscreenshots: ${SHOTS}\n`);
  }, 60_000);

  it("keeps the index and an indicator page within the page-weight budget", () => {
    const weigh = (p: string) => {
      const file = path.join(siteDir(), p);
      const html = readFileSync(file, "utf8");
      const linked = [...html.matchAll(/<(?:script src|link rel="stylesheet" href)="([^"]+)"/g)].map((m) =>
        path.join(path.dirname(file), m[1] ?? ""),
      );
      const bytes = (f: string) => statSync(f).size;
      const gz = (f: string) => gzipSync(readFileSync(f)).length;
      const inline = (re: RegExp) => [...html.matchAll(re)].reduce((n, m) => n + Buffer.byteLength(m[0]), 0);
      const scripts = linked.filter((f) => f.endsWith(".js"));
      const styles = linked.filter((f) => f.endsWith(".css"));
      const weight = {
        page: p,
        html: Buffer.byteLength(html),
        htmlGzip: gzipSync(html).length,
        chartData: inline(/<script type="application\/json"[\s\S]*?<\/script>/g),
        chartSvg: inline(/<svg[\s\S]*?<\/svg>/g),
        css: styles.reduce((n, f) => n + bytes(f), 0),
        scripts: scripts.reduce((n, f) => n + bytes(f), 0),
        scriptsGzip: scripts.reduce((n, f) => n + gz(f), 0),
        scriptFiles: scripts.map((f) => `${path.basename(f)} ${bytes(f)}`),
        total: 0,
        totalGzip: 0,
      };
      weight.total = weight.html + weight.css + weight.scripts;
      weight.totalGzip = weight.htmlGzip + styles.reduce((n, f) => n + gz(f), 0) + weight.scriptsGzip;
      return weight;
    };
    const index = weigh("index.html");
    const indicator = weigh(INDICATOR);
    writeFileSync(path.join(SHOTS, "page-weight.json"), `${JSON.stringify([index, indicator], null, 2)}\n`);
    process.stdout.write(`\npage weight: ${JSON.stringify([index, indicator], null, 1)}\n`);
    // The index has no charts to make interactive, so it loads no chart library.
    expect(index.scripts).toBeLessThan(5_000);
    expect(index.total).toBeLessThan(50_000);
    expect(indicator.scripts).toBeLessThan(700_000);
    expect(indicator.totalGzip).toBeLessThan(300_000);
  });
});
