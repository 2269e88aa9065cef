import type { ExtractSchema, PartnerExtract, Vocabulary } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import type { RawRow } from "../read/read-partner-file.ts";
import {
  expectedFor,
  type FieldIssueParams,
  fastFieldParser,
  fieldValueSchema,
  UNDECIDED,
  type Value,
} from "./field-schema.ts";
import { type Bounds, parseBounds } from "./parse-values.ts";

/**
 * Why a cell holds no number although the partner wrote something: one of the partner's own
 * markers, or a range (`<10`, `GE95`) whose bounds are kept beside the row.
 */
export type Withheld = "suppressed" | "not-applicable" | "bounded";

/** A row whose every cell is typed. `values` is keyed by field name. */
export interface TypedRow {
  line: number;
  values: Record<string, Value>;
  /** Fields the partner withheld with a marker (their value is null), or null when none. */
  withheld: Record<string, Withheld> | null;
  /** The bounds of fields given as a range, or null when none. */
  bounds: Record<string, Bounds> | null;
  /** The cells as the partner wrote them, in schema field order, for messages that quote them. */
  raw: readonly string[];
}

/** What validation remembers across chunks of one file: markers, ranges and id shapes seen. */
export interface ValidationState {
  /** Markers seen, by marker text, for the partner report. */
  markers: Map<string, number>;
  /** Ranges seen, by their text, for the partner report. */
  ranges: Map<string, number>;
  /** For each id field, how many zero-padded ids of each length were seen: to spot ids that lost their zeros. */
  idWidths: Map<string, Map<number, number>>;
}

export function newValidationState(): ValidationState {
  return { markers: new Map(), ranges: new Map(), idWidths: new Map() };
}

/** The per-file validator: the schema's zod field schemas compiled once. */
export interface RowValidator {
  schema: ExtractSchema;
  where: IssueLocation;
  fields: {
    name: string;
    parse: ReturnType<typeof fieldValueSchema>;
    /** The common case decided without zod; UNDECIDED sends the cell to `parse`. */
    fast: ReturnType<typeof fastFieldParser>;
    markable: boolean;
    /** What a range in this field bounds, or null where ranges are not allowed. */
    bounds: "count" | "percent" | null;
    isId: boolean;
    expected: string;
  }[];
  percentScale: "percent" | "fraction";
  suppressed: Set<string>;
  notApplicable: Set<string>;
  hasMarkers: boolean;
}

const MARKABLE = new Set(["integer", "count", "number", "percent"]);

export function createRowValidator(
  schema: ExtractSchema,
  extract: PartnerExtract,
  vocabularies: ReadonlyMap<string, Vocabulary>,
  where: IssueLocation,
): RowValidator {
  const booleans = vocabularies.get("boolean");
  if (!booleans) throw new Error("the `boolean` vocabulary is missing from c2c's schemas");
  return {
    schema,
    where,
    fields: schema.fields.map((f) => ({
      name: f.name,
      parse: fieldValueSchema(f, booleans, { percentScale: extract.percentScale }),
      fast: fastFieldParser(f, booleans),
      markable: MARKABLE.has(f.type),
      bounds: f.type === "count" || f.type === "integer" ? "count" : f.type === "percent" ? "percent" : null,
      // The district's code is checked against the partnership's own codes in normalize instead.
      isId: f.type === "id" && f.name !== schema.roles.district,
      expected: expectedFor(f),
    })),
    percentScale: extract.percentScale,
    suppressed: new Set(extract.suppressed.map((m) => m.trim().toLowerCase())),
    notApplicable: new Set(extract.notApplicable.map((m) => m.trim().toLowerCase())),
    hasMarkers: extract.suppressed.length + extract.notApplicable.length > 0,
  };
}

/**
 * Stage 4: types every cell of a chunk of rows with the schema's zod field schemas, turns the
 * partner's suppression markers into withheld nulls, and checks row rules (duplicates are found on
 * canonical codes, in normalize). A row with any
 * error is left out and every error is reported; rows are never half-used.
 */
export function validateRows(
  rows: readonly RawRow[],
  v: RowValidator,
  state: ValidationState,
): { rows: TypedRow[]; issues: Issue[] } {
  const out: TypedRow[] = [];
  const issues: Issue[] = [];
  for (const row of rows) {
    const values: Record<string, Value> = {};
    let withheld: Record<string, Withheld> | null = null;
    let bounds: Record<string, Bounds> | null = null;
    let bad = false;
    let warnings: Issue[] | null = null;
    for (let i = 0; i < v.fields.length; i++) {
      const f = v.fields[i]!;
      const cell = row.cells[i] ?? "";
      if (f.markable && v.hasMarkers) {
        const marker = cell.trim().toLowerCase();
        const kind: Withheld | null = v.suppressed.has(marker)
          ? "suppressed"
          : v.notApplicable.has(marker)
            ? "not-applicable"
            : null;
        if (kind !== null && marker !== "") {
          values[f.name] = null;
          withheld ??= {};
          withheld[f.name] = kind;
          state.markers.set(cell.trim(), (state.markers.get(cell.trim()) ?? 0) + 1);
          continue;
        }
      }
      const fast = f.fast(cell);
      if (fast !== UNDECIDED && !f.isId) {
        values[f.name] = fast;
        continue;
      }
      const parsed = fast !== UNDECIDED ? { success: true as const, data: fast } : f.parse.safeParse(cell);
      if (parsed.success) {
        values[f.name] = parsed.data;
        if (f.isId && typeof parsed.data === "string") {
          const mangled = idLooksMangled(f.name, parsed.data, state);
          if (mangled) {
            warnings ??= [];
            warnings.push(
              makeIssue(
                "id-mangled",
                { ...v.where, line: row.line, column: f.name },
                { column: f.name, value: cell.trim(), ...mangled },
              ),
            );
          }
        }
        continue;
      }
      const range = f.bounds !== null ? parseBounds(cell, f.bounds, v.percentScale) : undefined;
      if (range) {
        values[f.name] = null;
        withheld ??= {};
        withheld[f.name] = "bounded";
        bounds ??= {};
        bounds[f.name] = range;
        state.ranges.set(cell.trim(), (state.ranges.get(cell.trim()) ?? 0) + 1);
        continue;
      }
      bad = true;
      for (const zi of parsed.error.issues) {
        const p = (zi as { params?: FieldIssueParams }).params;
        const code = p?.code ?? "type-error";
        issues.push(
          makeIssue(
            code,
            { ...v.where, line: row.line, column: f.name },
            {
              column: f.name,
              value: cell,
              expected: p?.expected ?? f.expected,
              ...(p?.detail !== undefined ? { detail: p.detail } : {}),
            },
          ),
        );
      }
    }
    if (warnings !== null) issues.push(...warnings);
    if (bad) continue;

    for (const check of v.schema.checks) {
      const part = values[check.field];
      const whole = values[check.limit];
      if (typeof part === "number" && typeof whole === "number" && part > whole) {
        bad = true;
        issues.push(
          makeIssue(
            "numerator-exceeds-denominator",
            { ...v.where, line: row.line, column: check.field },
            { column: check.field, value: String(part), other: check.limit, expected: String(whole) },
          ),
        );
      }
    }
    if (bad) continue;

    out.push({ line: row.line, values, withheld, bounds, raw: row.cells });
  }
  return { rows: out, issues };
}

/**
 * Whether an id looks changed by a spreadsheet: shown in scientific notation (its last digits are
 * gone), or shorter than the zero-padded ids already seen in the column (its leading zeros are gone).
 */
function idLooksMangled(
  field: string,
  id: string,
  state: ValidationState,
): { detail: string; expected?: string } | null {
  if (/^\d(\.\d+)?E\+?\d+$/i.test(id))
    return { detail: "it is in scientific notation, as Excel shows long numbers, so its last digits are lost" };
  if (!/^\d+$/.test(id)) return null;
  let widths = state.idWidths.get(field);
  if (!widths) {
    widths = new Map();
    state.idWidths.set(field, widths);
  }
  if (id.startsWith("0")) {
    widths.set(id.length, (widths.get(id.length) ?? 0) + 1);
    return null;
  }
  let common = 0;
  let seen = 0;
  for (const [width, count] of widths) if (count > seen) [common, seen] = [width, count];
  if (seen < 3 || id.length >= common) return null;
  return {
    detail: `it has ${id.length} digits where the column's other ids have ${common}, with leading zeros, so its zeros may have been dropped`,
    expected: id.padStart(common, "0"),
  };
}
