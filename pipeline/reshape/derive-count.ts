import { parseBounds, parseDecimal, parseInteger } from "../values/parse-values.ts";

/**
 * What a rate cell and its count cell make of a count (a numerator):
 * - `count`: the rate is exact and the count known: round(rate × count), as text.
 * - `bounded`: the rate is a range (`90-94`, `GE95`): the count's bounds, written as a count range
 *   (`91-96`) that validation keeps as bounds, never as a number.
 * - `marker`: the rate is not a number (`PS`, `.`): passed on as written, for the partner's markers.
 * - `blank`: the rate cell is empty.
 * - `no-count`: a rate (exact, or a range when `bounded`) with no usable count: nothing can be
 *   published from it.
 * - `exceeds`: the rate is more than 100%: the row must not be used.
 */
export type DerivedCount =
  | { kind: "count"; cell: string }
  | { kind: "bounded"; cell: string }
  | { kind: "marker"; cell: string }
  | { kind: "blank"; cell: "" }
  | { kind: "no-count"; cell: ""; bounded: boolean }
  | { kind: "exceeds"; cell: ""; share: number };

/** Floating-point slack, so 0.81 × 600 = 486 is not taken for 486.00000000000006. */
const EPSILON = 1e-9;

/**
 * Derives a count from a rate and the count it is a rate of. A numerator is only ever computed from
 * an exact rate and a known count; a range stays a range, and a rate alone gives nothing.
 */
export function deriveCount(rateText: string, ofText: string | undefined, scale: "percent" | "fraction"): DerivedCount {
  const rate = rateText.trim();
  if (rate === "") return { kind: "blank", cell: "" };
  const share = parseShare(rate, scale);
  const bounds = share === undefined ? parseBounds(rate, "percent", scale) : undefined;
  if (share === undefined && bounds === undefined) return { kind: "marker", cell: rate };
  if (share !== undefined && share > 1 + EPSILON) return { kind: "exceeds", cell: "", share };
  const of = ofText === undefined ? undefined : parseInteger(ofText);
  if (of === undefined || of < 0) return { kind: "no-count", cell: "", bounded: share === undefined };
  if (share !== undefined) return { kind: "count", cell: String(Math.round(share * of + EPSILON)) };
  const lower = Math.floor((bounds?.lower ?? 0) * of + EPSILON);
  const upper = Math.min(of, Math.ceil((bounds?.upper ?? 1) * of - EPSILON));
  // A range so narrow that it names one count (a cohort of 0) is that count.
  return lower >= upper ? { kind: "count", cell: String(lower) } : { kind: "bounded", cell: `${lower}-${upper}` };
}

/** A rate as a share: `42%` is 0.42; `42` in percent scale, `0.42` in fraction scale. */
function parseShare(text: string, scale: "percent" | "fraction"): number | undefined {
  const percent = text.endsWith("%");
  const n = parseDecimal(percent ? text.slice(0, -1) : text);
  if (n === undefined || n < 0) return undefined;
  return percent || scale === "percent" ? n / 100 : n;
}
