import type { ExtractMapping } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import type { RecordGet, SourceColumns } from "./source-columns.ts";

type Pivot = NonNullable<ExtractMapping["pivot"]>;

/**
 * Long → wide (`pivot`): source rows that share the key columns are held until the end, each
 * giving one named cell (from the name columns) its value; then each key's cells make a record.
 */
export class PivotRows {
  private readonly held = new Map<string, { line: number; keys: Map<string, string>; wide: Map<string, string> }>();

  constructor(private readonly pivot: Pivot) {}

  /** Holds one source row's cell under its key; the key's first line is its records' line. */
  hold(cellOf: RecordGet, line: number): void {
    const { pivot } = this;
    const keyCells = pivot.keys.map((k) => cellOf(k) ?? "");
    const key = JSON.stringify(keyCells);
    let entry = this.held.get(key);
    if (!entry) {
      entry = { line, keys: new Map(pivot.keys.map((k, i) => [k, keyCells[i]!])), wide: new Map() };
      this.held.set(key, entry);
    }
    entry.wide.set(pivot.names.map((n) => (cellOf(n) ?? "").trim()).join("!!"), cellOf(pivot.value) ?? "");
  }

  /**
   * Once every row is held: each key's record with its line, or none when a column the mapping
   * expects the pivot to make was made by no row (each such column an issue).
   */
  records(columns: SourceColumns, where: IssueLocation, issues: Issue[]): { get: RecordGet; line: number }[] {
    const made = new Set<string>();
    for (const entry of this.held.values()) for (const name of entry.wide.keys()) made.add(name);
    const keys = new Set(this.pivot.keys);
    const missing = [...columns.named].filter((n) => !keys.has(n) && !columns.isSourceOnly(n) && !made.has(n));
    for (const name of missing)
      issues.push(
        makeIssue(
          "missing-column",
          { ...where, line: null, column: name },
          {
            column: name,
            detail: `a column the mapping expects the pivot to make from \`${this.pivot.names.join("`, `")}\`; none of the rows makes it`,
          },
        ),
      );
    if (missing.length > 0) return [];
    return [...this.held.values()].map((entry) => ({
      get: (name: string) => entry.keys.get(name) ?? entry.wide.get(name),
      line: entry.line,
    }));
  }
}
