import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { parse as parseYaml } from "yaml";
import { SITE_LANGUAGES, type SiteLanguage } from "../../../schemas/index.ts";
import type { Effects } from "../../effects.ts";
import { fill, lookupString, type SiteStrings, SiteStringsSchema } from "./site-strings.ts";

export type PageTemplate = (view: object) => string;

/** The page templates, styles and scripts the site is drawn with. */
export interface SiteAssets {
  pages: {
    layout: PageTemplate;
    index: PageTemplate;
    indicator: PageTemplate;
    data: PageTemplate;
    methods: PageTemplate;
    embed: PageTemplate;
  };
  /** Every interface string, by language, from `reports/site/i18n/<language>.yaml`. */
  strings: Record<SiteLanguage, SiteStrings>;
  /** Files copied into the site as they are, by site-relative path: styles, scripts, vendored Vega. */
  files: Map<string, string>;
}

const PAGES = ["layout", "index", "indicator", "data", "methods", "embed"] as const;

/**
 * The browser builds of the libraries that make the charts interactive, shipped with the site.
 * Not vega-lite: specs are compiled to Vega at build time, and vega-embed draws Vega without it.
 */
const VENDOR = [
  { pkg: "vega", file: "build/vega.min.js", as: "vega.min.js" },
  { pkg: "vega-embed", file: "build/vega-embed.min.js", as: "vega-embed.min.js" },
] as const;

/**
 * Loads `reports/site/*` from c2c's folder and the vendored chart libraries from node_modules.
 * vega-interpreter ships only as an ES module importing vega-util; it is wrapped here into a
 * classic script that takes those names from the vega build, so pages need neither modules nor
 * `unsafe-eval` (they work from `file://` under a strict Content-Security-Policy).
 */
export async function loadSiteAssets(effects: Effects, c2cRoot: string): Promise<SiteAssets> {
  const text = async (p: string) => new TextDecoder().decode(await effects.readFile(p));
  const hbs = Handlebars.create();
  hbs.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  registerTranslationHelpers(hbs);
  for (const partial of ["table", "chart-figure", "chart-embed"])
    hbs.registerPartial(partial, await text(path.join(c2cRoot, "reports", "site", `${partial}.hbs`)));
  const compiled = new Map<string, PageTemplate>();
  for (const name of PAGES) {
    const source = await text(path.join(c2cRoot, "reports", "site", `${name}.hbs`));
    compiled.set(name, hbs.compile(source, { strict: true, noEscape: false }));
  }
  const page = (name: (typeof PAGES)[number]) => compiled.get(name) as PageTemplate;
  const files = new Map<string, string>();
  files.set("assets/site.css", await text(path.join(c2cRoot, "reports", "site", "site.css")));
  files.set("assets/site.js", await text(path.join(c2cRoot, "reports", "site", "site.js")));
  for (const v of VENDOR)
    files.set(`assets/vendor/${v.as}`, await text(path.join(await packageDir(effects, v.pkg), v.file)));
  const interpreter = await text(
    path.join(await packageDir(effects, "vega-interpreter"), "build", "vega-interpreter.js"),
  );
  files.set("assets/vendor/vega-interpreter.js", wrapInterpreter(interpreter));
  return {
    pages: {
      layout: page("layout"),
      index: page("index"),
      indicator: page("indicator"),
      data: page("data"),
      methods: page("methods"),
      embed: page("embed"),
    },
    strings: await loadSiteStrings(effects, c2cRoot),
    files,
  };
}

/** Reads and checks each language's strings; a missing or misspelt key in any of them stops the build. */
async function loadSiteStrings(effects: Effects, c2cRoot: string): Promise<Record<SiteLanguage, SiteStrings>> {
  const out: Partial<Record<SiteLanguage, SiteStrings>> = {};
  for (const lang of SITE_LANGUAGES) {
    const file = path.join(c2cRoot, "reports", "site", "i18n", `${lang}.yaml`);
    const parsed = SiteStringsSchema.safeParse(parseYaml(new TextDecoder().decode(await effects.readFile(file))));
    if (!parsed.success)
      throw new Error(
        `${file}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ")}`,
      );
    out[lang] = parsed.data;
  }
  return out as Record<SiteLanguage, SiteStrings>;
}

/**
 * `{{t "nav.skip"}}` prints a string of the page's language (the view's `strings`), escaped, with
 * its `{placeholders}` filled from the helper's hash (`{{t "index.inYear" year=latestYear}}`), also
 * escaped. `{{th "methods.progressHtml"}}` does the same for the few strings that hold markup: the
 * translation file is c2c's own, so its markup is trusted; the values filled in never are.
 */
function registerTranslationHelpers(hbs: typeof Handlebars): void {
  const translate = (key: string, options: Handlebars.HelperOptions, html: boolean) => {
    const strings = (options.data as { root?: { strings?: SiteStrings } }).root?.strings;
    if (!strings) throw new Error(`{{t "${key}"}} used on a page rendered without strings`);
    const template = lookupString(strings, key);
    if (template === undefined) throw new Error(`no site string "${key}" in reports/site/i18n`);
    const vars = Object.fromEntries(
      Object.entries(options.hash as Record<string, unknown>).map(([k, v]) => [k, hbs.escapeExpression(String(v))]),
    );
    return new hbs.SafeString(fill(html ? template : hbs.escapeExpression(template), vars));
  };
  hbs.registerHelper("t", (key: string, options: Handlebars.HelperOptions) => translate(key, options, false));
  hbs.registerHelper("th", (key: string, options: Handlebars.HelperOptions) => translate(key, options, true));
}

/**
 * The folder of an installed package, looked for the way Node does: in `node_modules` beside this
 * module and in every folder above it (so it is found whether c2c is a clone or a dependency).
 */
async function packageDir(effects: Effects, pkg: string): Promise<string> {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "node_modules", pkg);
    if (await effects.exists(path.join(candidate, "package.json"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`c2c could not find the ${pkg} package; run npm install`);
    dir = parent;
  }
}

/** Turns vega-interpreter's ES module into a script defining `window.vegaInterpreter`. */
export function wrapInterpreter(source: string): string {
  const importLine = /^import \{ ([\w, ]+) \} from 'vega-util';$/m;
  const exportLine = /^export \{ expression as expressionInterpreter \};$/m;
  const imported = importLine.exec(source);
  if (!imported?.[1] || !exportLine.test(source))
    throw new Error("vega-interpreter's build changed shape; update wrapInterpreter for the new version");
  const body = source
    .replace(importLine, `const { ${imported[1]} } = window.vega;`)
    .replace(exportLine, "window.vegaInterpreter = { expressionInterpreter: expression };")
    .replace(/^\/\/# sourceMappingURL=.*$/m, "");
  return `(function () {\n"use strict";\n${body}\n})();\n`;
}
