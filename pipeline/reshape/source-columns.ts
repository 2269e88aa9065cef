import type { ExtractMapping, ExtractSchema, FieldSource } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import { normalizeLabel } from "../values/parse-values.ts";
import { mappedColumnKeys, mappingColumnIssue } from "./mapping-columns.ts";

/** One source row seen as named cells: the file's columns, plus any names `unpivot` captured. */
export type RecordGet = (name: string) => string | undefined;

/** A group of a wide row's columns (`unpivot`) that makes one long row: its captures, and its measures' columns. */
export interface Unit {
  captures: Record<string, string>;
  /** Measure name → column index. */
  slots: Map<string, number>;
}

/** A mapping compiled against a file's header: where each named column is, and how a wide row unpivots. */
export interface SourceColumns {
  /** The column a name (or its normalized label) is, if the file has it. */
  findColumn(name: string): number | undefined;
  /** The units each source row unpivots into; one unit of no captures without `unpivot`. */
  units: Unit[];
  /** Columns that are measures of a unit, never read by name. */
  unpivoted: Set<number>;
  /** For each variant of `rows` (one without), the source of each schema field (null where none). */
  plans: (FieldSource | null)[][];
  /** Every column the mapping names. */
  named: Set<string>;
  /** The target field each rate column fills, for messages. */
  rateTargets: Map<string, string>;
  /** With a pivot: whether a name is one of its key, name or value columns, which the file must have. */
  isSourceOnly(name: string): boolean;
}

/**
 * Compiles a mapping against a file's header: the columns it names, the units of an `unpivot`, the
 * field plans of each row variant. Returns the issues instead when the mapping names a column the
 * file does not have (no row could be used then).
 */
export function compileColumns(
  header: readonly string[],
  mapping: ExtractMapping,
  schema: ExtractSchema,
  where: IssueLocation,
  mappingKey: string | undefined,
): SourceColumns | { issues: Issue[] } {
  const issues: Issue[] = [];
  const columnOf = new Map<string, number>();
  header.forEach((h, i) => {
    if (!columnOf.has(h)) columnOf.set(h, i);
  });
  header.forEach((h, i) => {
    const key = normalizeLabel(h);
    if (key && !columnOf.has(key)) columnOf.set(key, i);
  });
  const findColumn = (name: string): number | undefined => columnOf.get(name) ?? columnOf.get(normalizeLabel(name));

  // Wide → long: columns whose name matches become slots of units keyed by their other captures.
  const units: Unit[] = [];
  const slotNames = new Set<string>();
  const captureNames = new Set<string>();
  const unpivoted = new Set<number>();
  if (mapping.unpivot) {
    const pattern = new RegExp(mapping.unpivot.columns, "u");
    const byKey = new Map<string, Unit>();
    header.forEach((h, i) => {
      const m = pattern.exec(h);
      const groups = m?.groups;
      if (!groups || groups.measure === undefined) return;
      const captures: Record<string, string> = {};
      for (const [k, v] of Object.entries(groups)) if (k !== "measure" && v !== undefined) captures[k] = v;
      const key = JSON.stringify(captures);
      let unit = byKey.get(key);
      if (!unit) {
        unit = { captures, slots: new Map() };
        byKey.set(key, unit);
        units.push(unit);
      }
      unit.slots.set(groups.measure, i);
      slotNames.add(groups.measure);
      for (const k of Object.keys(captures)) captureNames.add(k);
      unpivoted.add(i);
    });
    if (units.length === 0)
      issues.push(
        makeIssue(
          "missing-column",
          { ...where, line: mapping.headerRows, column: mapping.unpivot.columns },
          {
            column: mapping.unpivot.columns,
            detail: "no column's name matches the mapping's `unpivot.columns` pattern",
          },
        ),
      );
  } else units.push({ captures: {}, slots: new Map() });

  const variants = mapping.rows ?? [{}];
  const rateTargets = new Map<string, string>();
  for (const v of variants)
    for (const [field, source] of Object.entries({ ...mapping.fields, ...v }))
      if (source.rate !== undefined) rateTargets.set(source.rate, field);
  const plans = variants.map((variant) => {
    const fields: Record<string, FieldSource> = { ...mapping.fields, ...variant };
    return schema.fields.map((f) => fields[f.name] ?? null);
  });

  // Every column the mapping names must exist, unless a pivot makes its columns from the data.
  const named = new Set<string>();
  for (const plan of plans)
    for (const s of plan) for (const c of [s?.column, s?.rate, s?.of]) if (c !== undefined) named.add(c);
  for (const k of mapping.keep) named.add(k.column);
  const pivot = mapping.pivot;
  if (pivot) for (const c of [...pivot.keys, ...pivot.names, pivot.value]) named.add(c);
  // With a pivot, the key, name and value columns must be the file's own; the rest come from the data.
  const isSourceOnly = (name: string): boolean =>
    pivot !== undefined && (pivot.keys.includes(name) || pivot.names.includes(name) || pivot.value === name);
  const keyOf = mappedColumnKeys(mapping, mappingKey ?? "mapping");
  for (const name of named) {
    const known =
      findColumn(name) !== undefined || slotNames.has(name) || captureNames.has(name) || (pivot && !isSourceOnly(name));
    // The analyst's configuration names the column: the issue says where in partners.yaml.
    if (!known) issues.push(mappingColumnIssue(name, where, mapping.headerRows, keyOf.get(name), header));
  }
  if (issues.length > 0) return { issues };
  return { findColumn, units, unpivoted, plans, named, rateTargets, isSourceOnly };
}
