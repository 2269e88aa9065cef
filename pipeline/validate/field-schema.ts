import { z } from "zod";
import type { ExtractField, Vocabulary } from "../../schemas/index.ts";
import type { IssueCode } from "../issues/catalogue.ts";
import {
  normalizeLabel,
  parseDate,
  parseDecimal,
  parseInteger,
  parsePercent,
  parseSchoolYear,
} from "../values/parse-values.ts";
import type { Value } from "../values/value.ts";

/** What a zod issue raised by a field schema carries, so the catalogue can word it. */
export interface FieldIssueParams {
  code: IssueCode;
  expected: string;
  detail?: string;
}

const EXPECTED: Record<ExtractField["type"], string> = {
  id: "an identifier",
  text: "text",
  integer: "a whole number",
  count: "a count (a whole number, 0 or more)",
  number: "a number",
  percent: "a percent",
  boolean: "yes or no (Y or N)",
  year: "a school year such as 2024-25 or a year such as 2025",
  date: "a date such as 2025-09-01 or 9/1/2025",
  code: "a code",
};

/**
 * What partners write for a figure they withhold or that does not apply (`n<10`, `s`, `PS`, `N/A`,
 * `.`, `-`, `***`): in a numeric field that does not list it as one of its marks, it gets its own
 * message, so no one is told to write "digits only" where a number was withheld for privacy.
 */
const MARK_LIKE =
  /^(?:\*+|[<≤]\s*=?\s*n|n\s*[<≤]\s*=?\s*\d+|<\s*n\s*=?\s*\d+|s|ps|x|\^|#|~|n\/?a|n\.a\.|\.|-+|–|—|supp(?:ressed)?|redacted|masked|dnr|nr|too few|small n)$/i;

/** How a field's type is written, in the words of a fix. */
export function expectedFor(field: ExtractField): string {
  return EXPECTED[field.type];
}

/**
 * The zod schema for one cell of a field: text in, typed value out, with issues that carry a
 * catalogue code. This is the single source of truth for what a valid cell is.
 */
export function fieldValueSchema(
  field: ExtractField,
  booleans: Vocabulary,
  options: { percentScale?: "percent" | "fraction"; marks?: readonly string[] } = {},
): z.ZodType<Value, string> {
  const expected = EXPECTED[field.type];
  const marks = options.marks ?? [];
  /** For a numeric cell that is not a number: a mark the file does not use, or the type's own message. */
  const notANumber = (ctx: z.RefinementCtx, text: string, detail?: string) =>
    MARK_LIKE.test(text)
      ? fail(ctx, "unknown-mark", {
          expected: marks.length === 0 ? "" : marks.map((m) => `\`${m}\``).join(", "),
        })
      : fail(ctx, "type-error", { expected, ...(detail !== undefined ? { detail } : {}) });
  const fail = (ctx: z.RefinementCtx, code: IssueCode, params: Omit<FieldIssueParams, "code">) => {
    ctx.addIssue({ code: "custom", message: code, params: { code, ...params } satisfies FieldIssueParams });
    return z.NEVER;
  };
  const inRange = (n: number, ctx: z.RefinementCtx): number => {
    if ((field.minimum !== undefined && n < field.minimum) || (field.maximum !== undefined && n > field.maximum)) {
      return fail(ctx, "out-of-range", { expected: rangeText(field) });
    }
    return n;
  };
  const booleanLookup = new Map<string, boolean>();
  for (const g of booleans.groups)
    for (const a of [g.code, g.label, ...g.aliases]) booleanLookup.set(normalizeLabel(a), g.code === "yes");

  return z.string().transform((raw, ctx): Value => {
    const text = raw.trim();
    if (text === "") {
      if (!field.allowBlank) return fail(ctx, "required-value", { expected });
      return null;
    }
    switch (field.type) {
      case "id":
        // Ids stay text, leading zeros and all; ids a spreadsheet mangled are warned about by the row check.
        return text;
      case "text":
      case "code":
        return text;
      case "integer":
      case "count": {
        const n = parseInteger(text);
        if (n === undefined)
          return notANumber(
            ctx,
            text,
            /^\d+(\.\d+)?\s*%$/.test(text)
              ? "the number of people, not a percent: c2c works the share out from the counts"
              : "digits only, with no words or symbols",
          );
        if (field.type === "count" && n < 0) return fail(ctx, "out-of-range", { expected: "0 or more" });
        return inRange(n, ctx);
      }
      case "number": {
        const n = parseDecimal(text);
        if (n === undefined) return notANumber(ctx, text);
        return inRange(n, ctx);
      }
      case "percent": {
        const scale = options.percentScale ?? "percent";
        const n = parsePercent(text, scale);
        if (n === undefined)
          return notANumber(ctx, text, scale === "percent" ? "such as 42 or 42%" : "such as 0.42 or 42%");
        if (n < 0 || n > 1)
          return fail(ctx, "out-of-range", {
            expected:
              scale === "percent"
                ? "0 to 100 (this partner writes percents)"
                : "0 to 1 (this partner writes fractions)",
          });
        return n;
      }
      case "boolean": {
        const b = booleanLookup.get(normalizeLabel(text));
        if (b === undefined) return fail(ctx, "type-error", { expected });
        return b;
      }
      case "year": {
        const y = parseSchoolYear(text);
        if (y === null) return fail(ctx, "type-error", { expected });
        return inRange(y, ctx);
      }
      case "date": {
        const d = parseDate(text);
        if (d === undefined) return fail(ctx, "type-error", { expected });
        return d;
      }
    }
  });
}

function rangeText(field: ExtractField): string {
  if (field.minimum !== undefined && field.maximum !== undefined) return `${field.minimum} to ${field.maximum}`;
  if (field.minimum !== undefined) return `${field.minimum} or more`;
  return `${field.maximum} or less`;
}

/** What a fast path returns when it cannot decide: the field's zod schema then decides, and explains. */
export const UNDECIDED: unique symbol = Symbol("undecided");

/**
 * The common case of a field's zod schema, decided without zod: a plain, well-formed value gives
 * exactly what the schema would give; anything else is UNDECIDED and goes to the schema, which stays
 * the single source of truth for what is valid and what a partner is told.
 */
export function fastFieldParser(field: ExtractField, booleans: Vocabulary): (text: string) => Value | typeof UNDECIDED {
  const plain = (t: string) => t !== "" && t.charCodeAt(0) > 32 && t.charCodeAt(t.length - 1) > 32;
  const inRange = (n: number) =>
    (field.minimum === undefined || n >= field.minimum) && (field.maximum === undefined || n <= field.maximum);
  switch (field.type) {
    case "id":
    case "text":
    case "code":
      return (t) => (plain(t) ? t : UNDECIDED);
    case "integer":
    case "count":
      return (t) => {
        if (!plain(t) || t.length > 15) return UNDECIDED;
        for (let i = 0; i < t.length; i++) {
          const c = t.charCodeAt(i);
          if (c < 48 || c > 57) return UNDECIDED;
        }
        const n = Number(t);
        return inRange(n) ? n : UNDECIDED;
      };
    case "boolean": {
      const exact = new Map<string, boolean>();
      for (const g of booleans.groups)
        for (const a of [g.code, g.label, ...g.aliases])
          for (const form of [a, a.toLowerCase(), a.toUpperCase()])
            if (normalizeLabel(form) === normalizeLabel(a)) exact.set(form, g.code === "yes");
      return (t) => exact.get(t) ?? UNDECIDED;
    }
    case "year": {
      const years = new Map<string, number>();
      return (t) => {
        const hit = years.get(t);
        if (hit !== undefined) return hit;
        if (!plain(t)) return UNDECIDED;
        const y = parseSchoolYear(t);
        if (y === null || !inRange(y)) return UNDECIDED;
        if (years.size < 1000) years.set(t, y);
        return y;
      };
    }
    default:
      return () => UNDECIDED;
  }
}
