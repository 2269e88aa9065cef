import type { ExtractSchema, PartnerExtract, Vocabulary } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, KEPT_PER_PROBLEM, makeIssue } from "../issues/catalogue.ts";
import type { RawRow } from "../rows/raw-row.ts";
import { type Bounds, parseBounds } from "../values/parse-values.ts";
import type { Value } from "../values/value.ts";
import { expectedFor, type FieldIssueParams, fastFieldParser, fieldValueSchema, UNDECIDED } from "./field-schema.ts";

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
  /**
   * For each id field, the ids of digits without a leading zero, by length: whether one lost its
   * zeros is decided once the whole column is seen (`lostZeros`), so the answer does not depend on
   * the order of the rows, nor on how a file is split between threads.
   */
  unpaddedIds: Map<string, Map<number, UnpaddedIds>>;
}

/** The first `KEPT_PER_PROBLEM` ids of one field and length without leading zeros, and how many there were. */
export interface UnpaddedIds {
  lines: number[];
  values: string[];
  count: number;
}

export function newValidationState(): ValidationState {
  return { markers: new Map(), ranges: new Map(), idWidths: new Map(), unpaddedIds: new Map() };
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
  /**
   * A row's values before they are typed: every field, in schema order, null. Each row's values
   * start as a copy of it, so every row's object has the same shape from the start (V8 copies it in
   * one step, and the cells are stored into properties that exist, not added one by one).
   */
  blank: Record<string, Value>;
  /** Each field's index in a row's cells, for messages that quote a cell as written. */
  fieldIndex: ReadonlyMap<string, number>;
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
      parse: fieldValueSchema(f, booleans, {
        percentScale: extract.percentScale,
        marks: [...extract.suppressed, ...extract.notApplicable],
      }),
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
    blank: Object.fromEntries(schema.fields.map((f) => [f.name, null])),
    fieldIndex: new Map(schema.fields.map((f, i) => [f.name, i])),
  };
}

/**
 * Stage 5: types every cell of a chunk of rows with the schema's zod field schemas, turns the
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
    const values: Record<string, Value> = { ...v.blank };
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
          const mangled = idLooksMangled(f.name, parsed.data, cell, row.line, state);
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
      if (check.type === "requires") {
        // Yes where what it needs is no: which of the two is wrong, the row cannot say, so it is not used.
        if (values[check.field] === true && values[check.requires] === false) {
          bad = true;
          issues.push(
            makeIssue(
              "contradictory-flags",
              { ...v.where, line: row.line, column: check.field },
              {
                column: check.field,
                value: (row.cells[v.fieldIndex.get(check.field) ?? -1] ?? "").trim(),
                other: check.requires,
                expected: (row.cells[v.fieldIndex.get(check.requires) ?? -1] ?? "").trim(),
                ...(check.because !== undefined ? { detail: check.because } : {}),
              },
            ),
          );
        }
        continue;
      }
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
 * gone). An id of digits is counted by its length: zero-padded ones to learn the column's width,
 * others to be judged against it once the column is read (`lostZeros`).
 */
function idLooksMangled(
  field: string,
  id: string,
  cell: string,
  line: number,
  state: ValidationState,
): { detail: string; expected?: string } | null {
  if (/^\d(\.\d+)?E\+?\d+$/i.test(id))
    return { detail: "it is in scientific notation, as Excel shows long numbers, so its last digits are lost" };
  if (!/^\d+$/.test(id)) return null;
  if (id.startsWith("0")) {
    let widths = state.idWidths.get(field);
    if (!widths) {
      widths = new Map();
      state.idWidths.set(field, widths);
    }
    widths.set(id.length, (widths.get(id.length) ?? 0) + 1);
    return null;
  }
  let byLength = state.unpaddedIds.get(field);
  if (!byLength) {
    byLength = new Map();
    state.unpaddedIds.set(field, byLength);
  }
  let ids = byLength.get(id.length);
  if (!ids) {
    ids = { lines: [], values: [], count: 0 };
    byLength.set(id.length, ids);
  }
  if (ids.lines.length < KEPT_PER_PROBLEM) {
    ids.lines.push(line);
    // Copied out of the parsed text, which it would otherwise keep alive.
    ids.values.push(` ${cell.trim()}`.slice(1));
  }
  ids.count++;
  return null;
}

/** The width most zero-padded ids of a field have (the first to reach the most), and how many have it. */
function commonWidth(widths: ReadonlyMap<number, number> | undefined): { width: number; seen: number } {
  let width = 0;
  let seen = 0;
  for (const [w, count] of widths ?? []) if (count > seen) [width, seen] = [w, count];
  return { width, seen };
}

/**
 * The ids that lost their leading zeros, once a file is read: ids of digits shorter than the width
 * most of the column's zero-padded ids have (with at least 3 of them), in line order. As with any
 * problem, the first `KEPT_PER_PROBLEM` of a field are kept with their lines and the last counts the rest.
 */
export function lostZeros(state: ValidationState, where: IssueLocation): Issue[] {
  const out: Issue[] = [];
  for (const [field, byLength] of state.unpaddedIds) {
    const { width, seen } = commonWidth(state.idWidths.get(field));
    if (seen < 3) continue;
    const found: { line: number; value: string; length: number }[] = [];
    let total = 0;
    for (const [length, ids] of byLength) {
      if (length >= width) continue;
      total += ids.count;
      ids.lines.forEach((line, i) => {
        found.push({ line, value: ids.values[i] as string, length });
      });
    }
    found.sort((a, b) => a.line - b.line);
    const kept = found.slice(0, KEPT_PER_PROBLEM).map(({ line, value, length }) =>
      makeIssue(
        "id-mangled",
        { ...where, line, column: field },
        {
          column: field,
          value,
          detail: `it has ${length} digits where the column's other ids have ${width}, with leading zeros, so its zeros may have been dropped`,
          expected: value.padStart(width, "0"),
        },
      ),
    );
    const last = kept[kept.length - 1];
    if (last !== undefined && total > kept.length) last.count = total - kept.length + 1;
    out.push(...kept);
  }
  return out;
}

/** Adds what one part of a file's validation learnt to the state of the parts before it (in file order). */
export function mergeValidationState(into: ValidationState, part: ValidationState): void {
  for (const [k, n] of part.markers) into.markers.set(k, (into.markers.get(k) ?? 0) + n);
  for (const [k, n] of part.ranges) into.ranges.set(k, (into.ranges.get(k) ?? 0) + n);
  for (const [field, widths] of part.idWidths) {
    const to = into.idWidths.get(field) ?? new Map<number, number>();
    into.idWidths.set(field, to);
    for (const [w, n] of widths) to.set(w, (to.get(w) ?? 0) + n);
  }
  for (const [field, byLength] of part.unpaddedIds) {
    const to = into.unpaddedIds.get(field) ?? new Map<number, UnpaddedIds>();
    into.unpaddedIds.set(field, to);
    for (const [length, ids] of byLength) {
      const held = to.get(length) ?? { lines: [], values: [], count: 0 };
      to.set(length, held);
      const room = Math.max(0, KEPT_PER_PROBLEM - held.lines.length);
      held.lines.push(...ids.lines.slice(0, room));
      held.values.push(...ids.values.slice(0, room));
      held.count += ids.count;
    }
  }
}
