import { z } from "zod";
import { MILESTONES } from "../../../schemas/common.ts";
import { PROGRESS_STATUSES } from "../../derive/progress.ts";

/**
 * The schema of `reports/site/i18n/<language>.yaml`: every word the public site says that is not
 * the partnership's own text. Every key is required in every language, so a missing translation
 * stops the build instead of showing English (or nothing) on a Spanish page.
 */
const text = z.string().min(1);

function texts<const K extends string>(...keys: K[]) {
  return z.strictObject(Object.fromEntries(keys.map((k) => [k, text])) as Record<K, typeof text>);
}

export const SiteStringsSchema = z.strictObject({
  language: texts("name", "switchLabel", "readIn"),
  format: texts(
    "decimal",
    "thousands",
    "percent",
    "ratio",
    "schoolYear",
    "date",
    "list",
    "listOr",
    "point",
    "points",
  ).extend({
    months: z.array(text).length(12),
  }),
  nav: texts("skip", "site", "outcomes", "data", "methods", "breadcrumb"),
  footer: texts("privacy", "methods", "data"),
  milestones: texts(...MILESTONES),
  status: texts(...PROGRESS_STATUSES),
  direction: texts("better", "worse", "no-change", "unknown"),
  polarity: texts("higher", "lower", "higherSentence", "lowerSentence"),
  flags: texts(
    "suppressed",
    "sourceSuppressed",
    "incomplete",
    "lowReliability",
    "hidden",
    "withheld",
    "noData",
    "countedDenominator",
    "countedNumerator",
    "countedComplement",
    "fewerCounted",
    "fewerReaching",
    "bottomCoded",
    "topCoded",
    "below",
    "above",
  ),
  gaps: texts("everyone", "best", "behind", "ahead", "even", "narrowing", "notNarrowing", "notKnown", "more", "fewer"),
  page: texts("dataTitle", "methodsTitle"),
  index: texts(
    "latestData",
    "atAGlance",
    "indicatorsHeadline",
    "gapsHeadline",
    "continuum",
    "inYear",
    "since",
    "target",
    "goal",
    "largestGap",
    "largestGapText",
    "noGap",
    "noFigure",
    "noOverall",
    "targetBy",
  ),
  indicator: texts(
    "sinceBaseline",
    "target",
    "noFigure",
    "noOverall",
    "whatItMeasures",
    "whyItMatters",
    "sources",
    "overTime",
    "chartFigures",
    "byGroup",
    "byGroupNote",
    "byGroupTitle",
    "gapsTitle",
    "gapsOverTime",
    "gapsOverTimeNote",
    "gapsOverTimeTitle",
    "byDistrict",
    "map",
    "notes",
    "aboutData",
    "download",
    "howMade",
  ),
  table: texts(
    "year",
    "group",
    "district",
    "share",
    "interval",
    "counts",
    "countsValue",
    "countsBelow",
    "countsAbove",
    "gap",
    "ratio",
    "since",
    "childrenHigher",
    "childrenLower",
    "scrollLabel",
  ),
  charts: texts(
    "year",
    "schoolYear",
    "value",
    "intervalFrom",
    "intervalTo",
    "target",
    "targetLabel",
    "baseline",
    "baselineLabel",
    "breakInSeries",
    "newMeasure",
    "group",
    "all",
    "allLabel",
    "gap",
    "gapAxis",
    "district",
  ),
  sentences: texts(
    "noFigure",
    "targetIs",
    "single",
    "steady",
    "rose",
    "fell",
    "improvement",
    "wrongWay",
    "groupsNone",
    "groupsOne",
    "groupsRange",
    "groupsEven",
    "hiddenOne",
    "hiddenMany",
    "rangedGroups",
    "withheldOne",
    "withheldMany",
    "partialDimension",
    "reached",
    "missed",
    "breakNotJudged",
    "baselineNotJudged",
    "notJudged",
    "measureChanged",
    "perYear",
    "onTrack",
    "behind",
    "rightDirection",
    "wrongDirection",
    "childrenHigherOne",
    "childrenHigherMany",
    "childrenLowerOne",
    "childrenLowerMany",
    "gapsNoneBehind",
    "gapsLargest",
    "gapsItem",
    "gapsNarrowing",
    "gapsNotNarrowing",
    "gapTrendOne",
    "gapTrend",
    "gapNarrowed",
    "gapWidened",
    "gapUnchanged",
    "mapRange",
    "mapEven",
    "mapOne",
    "mapNone",
  ),
  embed: texts("summary", "instructions", "localNote", "codeLabel", "source", "fullPage", "frameTitle"),
  data: texts(
    "intro",
    "everything",
    "observationsCsv",
    "observationsJson",
    "changes",
    "progress",
    "gaps",
    "datapackageHtml",
    "byIndicator",
    "columns",
    "colIndicator",
    "colYear",
    "colGeo",
    "colDimension",
    "colCounts",
    "colValue",
    "colFlag",
    "colSources",
    "downloadNote",
  ),
  methods: texts(
    "fromFiles",
    "fromFilesText",
    "shareText",
    "changeTitle",
    "changeText",
    "progressHtml",
    "gapsHtml",
    "referenceOverall",
    "referenceBest",
    "referenceGroup",
    "privacyTitle",
    "privacyText",
    "smallHtml",
    "allOrNone",
    "otherThresholds",
    "subtractionHtml",
    "partnerHtml",
    "fewHtml",
    "reliabilityHidden",
    "reliabilityShown",
    "codingHtml",
    "coding_both",
    "coding_below",
    "coding_above",
    "yearsHtml",
    "marked",
    "indicators",
    "colIndicator",
    "colDefinition",
    "colBaseline",
    "colTarget",
    "colMinimum",
    "colCaution",
    "cautionNone",
    "cautionHidden",
    "partners",
    "built",
  ).extend({
    kinds: texts("school-district", "health-department", "college-access", "workforce", "service-provider"),
  }),
});
export type SiteStrings = z.output<typeof SiteStringsSchema>;

/**
 * Fills `{name}` placeholders from `vars`. A placeholder with no value is a mistake in c2c, not in
 * the data, so it throws rather than print the braces on a public page.
 */
export function fill(template: string, vars: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`site string "${template}" needs a value for {${name}}`);
    return String(v);
  });
}

/** The `{placeholders}` a string uses, sorted: each language's string must use the same ones. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string))].sort();
}

/** The string at a dotted key (`nav.skip`), or undefined. */
export function lookupString(strings: SiteStrings, key: string): string | undefined {
  let node: unknown = strings;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}
