/**
 * Parsers for the values partners write. Each returns the typed value or undefined when the text is
 * not of its kind; callers decide what a blank means (never 0).
 */

/**
 * A school or calendar year as c2c counts it (the end year): `2023-24`, `2023-2024`, `2023–24`,
 * `SY2023-24` and `2024` all mean 2024.
 */
export function parseSchoolYear(text: string): number | null {
  const t = text.trim().replace(/^(sy|fy|py)\s*/i, "");
  let m = /^(\d{4})$/.exec(t);
  if (m) return Number(m[1]);
  m = /^(\d{4})\s*[-–/]\s*(\d{2}|\d{4})$/.exec(t);
  if (!m) return null;
  const start = Number(m[1]);
  const endText = m[2]!;
  const end =
    endText.length === 2
      ? Math.floor(start / 100) * 100 + Number(endText) + (Number(endText) < start % 100 ? 100 : 0)
      : Number(endText);
  return end === start + 1 ? end : null;
}

/** A whole number, allowing thousands separators (`1,059`) and surrounding spaces. */
export function parseInteger(text: string): number | undefined {
  const t = text.trim().replace(/(?<=\d)[,\u00a0 ](?=\d{3}\b)/g, "");
  if (!/^[-+]?\d+(\.0+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A decimal number, allowing thousands separators. */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim().replace(/(?<=\d),(?=\d{3}\b)/g, "");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A percent as a share: `42%` is 0.42; so is `42` when the partner writes percents, and `0.42` when
 * it writes fractions.
 */
export function parsePercent(text: string, scale: "percent" | "fraction" = "percent"): number | undefined {
  const t = text.trim();
  if (t.endsWith("%")) {
    const n = parseDecimal(t.slice(0, -1));
    return n === undefined ? undefined : n / 100;
  }
  const n = parseDecimal(t);
  if (n === undefined) return undefined;
  return scale === "percent" ? n / 100 : n;
}

/** A date as `YYYY-MM-DD`, from ISO dates or US `M/D/YYYY`. */
export function parseDate(text: string): string | undefined {
  const t = text.trim();
  let y: number;
  let mo: number;
  let d: number;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
    if (!m) return undefined;
    [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/** The form labels are compared in: case, spacing and punctuation do not matter. */
export function normalizeLabel(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

/** A value the partner gave only as a range: `90-94`, `GE95`, `LT50`, `<10`, `>95%`. Either end may be open. */
export interface Bounds {
  lower: number | null;
  upper: number | null;
}

/**
 * A range or a top/bottom code, in the units of the field: counts as whole numbers (`<10` is 0 to
 * 9), percents as shares (`GE95` is 0.95 to 1). Returns undefined for anything that is not a range.
 */
export function parseBounds(
  text: string,
  kind: "count" | "percent",
  scale: "percent" | "fraction" = "percent",
): Bounds | undefined {
  const t = text.trim().replace(/\s+/g, "").toUpperCase();
  const hasPercent = t.endsWith("%");
  const body = hasPercent ? t.slice(0, -1) : t;
  const toUnit = (n: number) => (kind === "percent" ? (hasPercent || scale === "percent" ? n / 100 : n) : n);
  const number = "(\\d+(?:\\.\\d+)?|\\.\\d+)";
  const range = new RegExp(`^${number}[-–]${number}$`).exec(body);
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    if (!(a < b)) return undefined;
    return { lower: toUnit(a), upper: toUnit(b) };
  }
  const coded = new RegExp(`^(GE|GT|LE|LT|>=|<=|≥|≤|>|<)${number}$`).exec(body);
  if (!coded) return undefined;
  const op = coded[1] as string;
  const n = Number(coded[2]);
  const max = kind === "percent" ? 1 : null;
  const step = kind === "count" ? 1 : 0;
  switch (op) {
    case "GE":
    case ">=":
    case "≥":
      return { lower: toUnit(n), upper: max };
    case "GT":
    case ">":
      return { lower: toUnit(n) + step, upper: max };
    case "LE":
    case "<=":
    case "≤":
      return { lower: 0, upper: toUnit(n) };
    default:
      return { lower: 0, upper: toUnit(n) - step };
  }
}
