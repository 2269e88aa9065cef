import type { District, ExtractMapping, ExtractSchema, Vocabulary } from "../../schemas/index.ts";
import type { Issue, IssueLocation } from "../issues/catalogue.ts";
import type { RawRow } from "../rows/raw-row.ts";
import { FieldValues } from "./field-values.ts";
import { PivotRows } from "./pivot-rows.ts";
import { RateTally } from "./rate-tally.ts";
import { RowsLeftOut } from "./rows-left-out.ts";
import { compileColumns, type RecordGet } from "./source-columns.ts";

/** What reshaping one file needs besides its header: the target schema and the partnership's words. */
export interface ReshapeContext {
  mapping: ExtractMapping;
  schema: ExtractSchema;
  percentScale: "percent" | "fraction";
  vocabularies: ReadonlyMap<string, Vocabulary>;
  districts: readonly District[];
  /**
   * The extract's markers (`suppressed` and `notApplicable`). A rate-only row is never handed on to
   * validation, so its markers are told apart here: withheld, never an error.
   */
  markers: readonly string[];
  where: IssueLocation;
  /** Where the mapping is in partners.yaml (`partners[1].extracts[0].mapping`), for the issues that blame it. */
  mappingKey?: string;
}

/** Turns the rows of an agency file into rows of the target schema, as the mapping says. */
export interface Reshaper {
  /** Source data rows in, target rows out (cells in the schema's field order). */
  reshape(cells: readonly string[], line: number): RawRow[];
  /** Rows held back until the end (a pivot), then the summary issues. */
  finish(): RawRow[];
  issues: Issue[];
  /** Target rows made or left out by the mapping: what "rows read" means for a mapped file. */
  rowsSeen: number;
}

/**
 * Compiles a mapping against a file's header (`compileColumns`). Returns the issues instead when
 * the mapping names a column the file does not have (no row could be used then).
 */
export function createReshaper(header: readonly string[], ctx: ReshapeContext): Reshaper | { issues: Issue[] } {
  const { mapping, schema, where } = ctx;
  const columns = compileColumns(header, mapping, schema, where, ctx.mappingKey);
  if (!("plans" in columns)) return columns;
  const { findColumn, units, unpivoted, plans } = columns;
  const issues: Issue[] = [];
  const values = new FieldValues(ctx.vocabularies, ctx.percentScale);
  const rates = new RateTally(values, ctx.markers, where, issues);
  const leftOut = new RowsLeftOut(mapping, schema, ctx.districts);
  const pivot = mapping.pivot ? new PivotRows(mapping.pivot) : null;
  let rowsSeen = 0;

  /** The target rows of one source record, one per row variant, bar those left out. */
  const emit = (get: RecordGet, line: number): RawRow[] => {
    const out: RawRow[] = [];
    for (const plan of plans) {
      rowsSeen++;
      const cells: string[] = [];
      let dropped = false;
      for (const source of plan) {
        if (source === null) cells.push("");
        else {
          const cell = values.resolve(source, get);
          if (cell === null) {
            dropped = true;
            break;
          }
          cells.push(cell);
        }
      }
      if (leftOut.isOtherDistrict(cells)) continue;
      // A rate with no count at all is reported, never handed on: it could not be protected or added up.
      const rateOnly = plan.some((s) => s?.rate !== undefined && s.of === undefined);
      rates.countRow(plan, get, line, rateOnly);
      if (dropped || rateOnly) continue;
      out.push({ line, cells });
    }
    return out;
  };

  return {
    issues,
    get rowsSeen() {
      return rowsSeen;
    },
    reshape(cells, line) {
      if (pivot) {
        const cellOf: RecordGet = (name) => {
          const c = findColumn(name);
          return c === undefined ? undefined : (cells[c] ?? "");
        };
        if (leftOut.keeps(cellOf)) pivot.hold(cellOf, line);
        return [];
      }
      const out: RawRow[] = [];
      for (const unit of units) {
        const get: RecordGet = (name) => {
          if (name in unit.captures) return unit.captures[name];
          const slot = unit.slots.get(name);
          if (slot !== undefined) return cells[slot] ?? "";
          const c = findColumn(name);
          return c === undefined || unpivoted.has(c) ? undefined : (cells[c] ?? "");
        };
        if (!leftOut.keeps(get)) {
          rowsSeen += plans.length;
          continue;
        }
        out.push(...emit(get, line));
      }
      return out;
    },
    finish() {
      const out: RawRow[] = [];
      if (pivot) for (const record of pivot.records(columns, where, issues)) out.push(...emit(record.get, record.line));
      leftOut.report(issues, where);
      rates.report(columns.rateTargets);
      return out;
    },
  };
}
