import type { PartialColumns, PartialCounts } from "../aggregate/partial-counts.ts";
import type { PartnerFile } from "../discover/discover-files.ts";
import type { FileResult } from "../file-result.ts";

/** What the main thread asks a file worker to do: one partner file of one project. */
export interface FileJob {
  id: number;
  root: string;
  c2cRoot: string;
  /** `--only`: the indicators built, so the worker counts what the main thread would. */
  only: string[];
  file: PartnerFile;
}

/** What a file worker answers. */
export type FromWorker =
  | { type: "progress"; id: number; path: string; read: number; total: number }
  | { type: "done"; id: number; result: FileResult; partials: PartialColumns }
  | { type: "failed"; id: number; message: string };

const COLUMNS = [
  "indicator",
  "year",
  "district",
  "school",
  "dimension",
  "group",
  "source",
  "numerator",
  "denominator",
  "withheld",
] as const satisfies readonly (keyof PartialColumns)[];

/** A partial table as plain arrays, to cross between threads. */
export function columnsOf(partials: PartialCounts): PartialColumns {
  const out = {} as Record<(typeof COLUMNS)[number], unknown[]>;
  for (const name of COLUMNS) out[name] = Array.from(partials.array(name) as ArrayLike<unknown>);
  return out as unknown as PartialColumns;
}
