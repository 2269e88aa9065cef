import type { ExtractSchema, PartnerExtract, Vocabulary } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import type { RawRow } from "../read/read-partner-file.ts";
import { expectedFor, type FieldIssueParams, fieldValueSchema, type Value } from "./field-schema.ts";

/** Why a cell holds no number although the partner wrote something: the partner's own markers. */
export type Withheld = "suppressed" | "not-applicable";

/** A row whose every cell is typed. `values` is keyed by field name. */
export interface TypedRow {
  line: number;
  values: Record<string, Value>;
  /** Fields the partner withheld with a marker (their value is null), or null when none. */
  withheld: Record<string, Withheld> | null;
}

/** What validation remembers across chunks of one file: the keys seen, to find duplicates. */
export interface ValidationState {
  keys: Map<string, { line: number; row: number }>;
  /** Markers seen, by marker text, for the partner report. */
  markers: Map<string, number>;
}

export function newValidationState(): ValidationState {
  return { keys: new Map(), markers: new Map() };
}

/** The per-file validator: the schema's zod field schemas compiled once. */
export interface RowValidator {
  schema: ExtractSchema;
  where: IssueLocation;
  fields: { name: string; parse: ReturnType<typeof fieldValueSchema>; markable: boolean; expected: string }[];
  suppressed: Set<string>;
  notApplicable: Set<string>;
  keyIndexes: number[];
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
      parse: fieldValueSchema(f, booleans),
      markable: MARKABLE.has(f.type),
      expected: expectedFor(f),
    })),
    suppressed: new Set(extract.suppressed.map((m) => m.trim().toLowerCase())),
    notApplicable: new Set(extract.notApplicable.map((m) => m.trim().toLowerCase())),
    keyIndexes: schema.primaryKey.map((k) => schema.fields.findIndex((f) => f.name === k)),
  };
}

/**
 * Stage 4: types every cell of a chunk of rows with the schema's zod field schemas, turns the
 * partner's suppression markers into withheld nulls, and checks keys and row rules. A row with any
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
    let bad = false;
    for (let i = 0; i < v.fields.length; i++) {
      const f = v.fields[i]!;
      const cell = row.cells[i] ?? "";
      if (f.markable) {
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
      const parsed = f.parse.safeParse(cell);
      if (parsed.success) {
        values[f.name] = parsed.data;
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

    const key = v.schema.primaryKey.map((k) => String(values[k] ?? "").toLowerCase()).join("\u0000");
    const whole = fnv1a(row.cells.join("\u0000"));
    const seen = state.keys.get(key);
    if (seen) {
      if (seen.row === whole) {
        issues.push(makeIssue("duplicate-row", { ...v.where, line: row.line }, { other: String(seen.line) }));
      } else {
        issues.push(
          makeIssue(
            "duplicate-key",
            { ...v.where, line: row.line, column: v.schema.primaryKey.join(", ") },
            {
              column: v.schema.primaryKey.join(", "),
              value: v.keyIndexes.map((k) => row.cells[k] ?? "").join(", "),
              other: String(seen.line),
            },
          ),
        );
      }
      continue;
    }
    state.keys.set(key, { line: row.line, row: whole });
    out.push({ line: row.line, values, withheld });
  }
  return { rows: out, issues };
}

/** A 32-bit FNV-1a hash: enough to tell an exact repeat from a conflicting one without keeping the row. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
