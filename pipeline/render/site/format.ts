import type { Indicator, SiteLanguage } from "../../../schemas/index.ts";
import { fill, type SiteStrings } from "./site-strings.ts";

/**
 * How numbers, years and dates read in one language of the site, from the `format` section of its
 * translation file. Written by hand rather than with `Intl`, so the same build gives the same bytes
 * on every machine whatever ICU data its Node carries.
 */
export interface Locale {
  lang: SiteLanguage;
  /** The language's strings. */
  s: SiteStrings;
  /** `0.4712` → `47%`. Whole percents: the intervals are wider than a decimal place. */
  percent(share: number | null): string;
  /** `0.0824` → `8.2%`: where whole percents would show two different shares as the same. */
  percentOne(share: number): string;
  /** `0.032` → `+3 points`; under a point, one decimal: `-0.004` → `−0.4 points`; `0.0004` → `0 points`. */
  signedPoints(change: number | null): string;
  /** `0.125` → `12.5 points`: a size in percentage points to one decimal, without a sign. */
  points(share: number): string;
  /** `1234` → `1,234`. */
  count(n: number | null): string;
  /** `-12.25`, 1 → `−12.3`: a number to so many decimals, with the language's separators. */
  number(n: number, digits: number): string;
  /** `2025` → `2024–25` for a school year, `2025` for a calendar year. */
  year(year: number, yearType: Indicator["yearType"]): string;
  /** `44%–50%`. */
  interval(lower: number | null, upper: number | null): string;
  /** `1.2345` → `1.23×`. */
  ratio(r: number): string;
  /** `2026-01-15` → `January 15, 2026`. */
  date(iso: string): string;
  /** `a, b and c`, or with `or`. */
  list(items: readonly string[], joiner?: "and" | "or"): string;
}

export function createLocale(lang: SiteLanguage, s: SiteStrings): Locale {
  const f = s.format;
  const decimal = (n: number, digits: number) => {
    const [whole = "0", frac] = Math.abs(n).toFixed(digits).split(".");
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, f.thousands);
    return `${n < 0 ? "−" : ""}${grouped}${frac ? `${f.decimal}${frac}` : ""}`;
  };
  const percent = (share: number | null) => (share === null ? "" : fill(f.percent, { n: Math.round(share * 100) }));
  const pointWords = (p: number, text: string) => fill(Math.abs(p) === 1 ? f.point : f.points, { n: text });
  return {
    lang,
    s,
    percent,
    percentOne: (share) => fill(f.percent, { n: decimal(Math.round(share * 1000) / 10, 1) }),
    signedPoints(change) {
      if (change === null) return "";
      // Under a point, a tenth: a change the status counts as progress must not read as 0 points.
      const tenths = Math.round(change * 1000);
      const points = Math.abs(tenths) < 10 ? tenths / 10 : Math.round(change * 100);
      if (points === 0) return pointWords(0, "0");
      const text = decimal(Math.abs(points), Number.isInteger(points) ? 0 : 1);
      return pointWords(points, `${points > 0 ? "+" : "−"}${text}`);
    },
    points(share) {
      // Under a point, two decimals: a pace of 0.08 against 0.13 points a year must not read as 0.1 and 0.1.
      const digits = Math.abs(share) < 0.01 ? 2 : 1;
      const p = Math.round(Math.abs(share) * 100 * 10 ** digits) / 10 ** digits;
      // No trailing zero: `0.4 points`, as the shares it separates are shown (`8.2%` and `7.8%`).
      const places = Number.isInteger(p) ? 0 : Number.isInteger(p * 10) ? 1 : digits;
      return pointWords(p, decimal(p, places));
    },
    count: (n) => (n === null ? "" : decimal(n, 0)),
    number: decimal,
    year(year, yearType) {
      if (yearType === "calendar") return String(year);
      return fill(f.schoolYear, { start: year - 1, end: String(year % 100).padStart(2, "0") });
    },
    interval: (lower, upper) => (lower === null || upper === null ? "" : `${percent(lower)}–${percent(upper)}`),
    ratio: (r) => fill(f.ratio, { n: decimal(r, 2) }),
    date(iso) {
      const [y, m, d] = iso.split("-").map(Number);
      const month = f.months[(m ?? 1) - 1];
      if (!y || !month || !d) return iso;
      return fill(f.date, { year: y, month, day: d });
    },
    list(items, joiner = "and") {
      if (items.length < 2) return items[0] ?? "";
      return fill(joiner === "and" ? f.list : f.listOr, {
        items: items.slice(0, -1).join(", "),
        last: items[items.length - 1] as string,
      });
    },
  };
}

/** Words that keep their capital inside a sentence (languages and peoples), in every site language. */
const PROPER = /^(English|Spanish|Native|Asian|Black|Hispanic|Latino|Latina|White|American|Pacific|Alaska)\b/;

/**
 * A label as it reads inside a sentence: "Race/ethnicity" becomes "race/ethnicity", and
 * "English learner status" keeps its capital.
 */
export function inSentence(label: string): string {
  return PROPER.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
