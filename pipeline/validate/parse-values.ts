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

/** A percent as a share: `42%` and `42` (on a 0–100 scale) are 0.42. */
export function parsePercent(text: string): number | undefined {
  const t = text.trim();
  const n = parseDecimal(t.endsWith("%") ? t.slice(0, -1) : t);
  return n === undefined ? undefined : n / 100;
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
