/**
 * An independent check of a built site's words against its own downloads: every direction word,
 * badge, count, difference and ranking on the front page and the indicator pages, in each language,
 * is re-derived from data/*.csv with code of its own (it imports nothing of c2c's pipeline).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { zFor } from "./chance.ts";
import { checkChartSpecs } from "./chart-specs.ts";
import type { Finding } from "./finding.ts";
import { checkFrontPage } from "./front-page.ts";
import { checkIndicatorPage } from "./indicator-page.ts";
import { CLAIM_WORDS, embeddedSpecs, pageLanguage, textOf } from "./page-text.ts";
import { readPublishedTables } from "./published-tables.ts";

export type { Finding } from "./finding.ts";

/** Every text file of a built site, by its path relative to the site's root. */
export function readSiteFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const child = rel === "" ? name : `${rel}/${name}`;
      if (statSync(path.join(dir, child)).isDirectory()) walk(child);
      else if (/\.(html|csv|json)$/.test(name)) files.set(child, readFileSync(path.join(dir, child), "utf8"));
    }
  };
  walk("");
  return files;
}

/** The confidence level the pages state ("95% interval"). */
function levelOf(files: ReadonlyMap<string, string>): number {
  for (const [name, html] of files) {
    const m = name.endsWith(".html") ? /(\d{2})% (?:interval|intervalo)/.exec(html) : null;
    if (m?.[1] !== undefined) return Number(m[1]) / 100;
  }
  return 0.95;
}

export function checkSiteHonesty(files: ReadonlyMap<string, string>): Finding[] {
  const tables = readPublishedTables(files);
  const z = zFor(levelOf(files));
  const findings: Finding[] = [];
  for (const [page, html] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!page.endsWith(".html")) continue;
    const words = CLAIM_WORDS[pageLanguage(html)];
    if (words === undefined) continue;
    const report = (rule: string, claim: string, why: string) => findings.push({ rule, page, claim, why });
    const name = page.replace(/^es\//, "");
    if (name === "index.html") checkFrontPage(html, tables, words, z, report);
    const indicator = /^indicators\/([^/]+)\.html$/.exec(name)?.[1];
    if (indicator !== undefined) {
      checkIndicatorPage(indicator, html, tables, words, z, report);
      const years = new Set(tables.figures.filter((f) => f.indicator === indicator).map((f) => f.year));
      checkChartSpecs(embeddedSpecs(html), years, report);
    }
    const text = textOf(html.replace(/<(code|pre|textarea)\b[\s\S]*?<\/\1>/g, " "));
    const tick = /[^ ]*`[^`]+`[^ ]*/.exec(text);
    if (tick) report("markdown-shown-raw", tick[0], "a partner's Markdown is shown as written, not rendered");
  }
  return findings;
}
