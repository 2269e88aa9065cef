import type { ExtractSchema } from "../../schemas/index.ts";
import type { Issue, IssueLocation } from "../issues/catalogue.ts";
import { columnName, mapHeader } from "./map-header.ts";

/**
 * How the reader takes a file's header: how many rows it spans, and how the data rows' cells line
 * up under it. A file in the schema's own layout is matched to the schema by name and alias
 * (`schemaLayout`); an agency file with a mapping is read by its own column names, for reshape.
 */
export interface HeaderLayout {
  /** Rows the header takes. */
  rows: number;
  /** Reads the header rows; `columns` is null when no data row can be used (the issues say why). */
  open(rows: readonly string[][]): OpenedHeader;
}

export interface OpenedHeader {
  issues: Issue[];
  columns: HeaderColumns | null;
}

/** The columns a header opened. */
export interface HeaderColumns {
  /** Cells a data row has; more are allowed when blank. */
  width: number;
  /** What each column is called in messages. */
  labels: readonly string[];
  /** A data row's cells as handed on. */
  order(cells: string[]): string[];
}

/**
 * The schema's own layout: one header row matched to the schema's fields by name, title or alias
 * (`mapHeader`), each data row handed on with its cells in the schema's field order.
 */
export function schemaLayout(schema: ExtractSchema, where: IssueLocation): HeaderLayout {
  const width = schema.fields.length;
  return {
    rows: 1,
    open([cells = []]) {
      const header = mapHeader(cells, schema, where);
      if (!header.ok) return { issues: header.issues, columns: null };
      const { columnOfField } = header.mapping;
      // A file in the template's own column order hands its cells on as they are.
      const inOrder = columnOfField.every((c, f) => c === f);
      return {
        issues: header.issues,
        columns: {
          width: header.mapping.width,
          labels: fieldLabels(cells, columnOfField, schema),
          order(row) {
            if (inOrder && row.length === width) return row;
            const ordered = new Array<string>(width);
            for (let f = 0; f < width; f++) {
              const c = columnOfField[f] as number;
              ordered[f] = c === -1 ? "" : (row[c] ?? "");
            }
            return ordered;
          },
        },
      };
    },
  };
}

/** What each column of the file is called in messages: its field's name where it has one, else its header. */
function fieldLabels(cells: readonly string[], columnOfField: readonly number[], schema: ExtractSchema): string[] {
  const labels = cells.map((c, i) => c.trim() || columnName(i));
  columnOfField.forEach((c, f) => {
    if (c !== -1) labels[c] = schema.fields[f]?.name ?? labels[c] ?? columnName(c);
  });
  return labels;
}
