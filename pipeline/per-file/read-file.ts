import type { PartnerFile } from "../discover/discover-files.ts";
import type { Project } from "../load/load-project.ts";
import { type ReadOptions, type ReadOutcome, readPartnerFile } from "../read/read-partner-file.ts";
import { reshapeFor } from "../reshape/reshape-file.ts";
import type { RawRow, ReadPosition } from "../rows/raw-row.ts";

/**
 * Stages 3 and 4 for one partner file: the one reader (decode, guard, parse) takes the file, and
 * where its extract has a mapping, reshape turns the agency's rows into the schema's as they come.
 * `onRows` sees the schema's rows either way.
 */
export async function readFile(
  file: PartnerFile,
  project: Project,
  bytes: AsyncIterable<Uint8Array>,
  options: Omit<ReadOptions, "header">,
  onRows: (rows: RawRow[], at?: ReadPosition) => void,
): Promise<ReadOutcome> {
  const reshape = reshapeFor(file.extract, options.schema, project, options.where);
  if (reshape === null) return readPartnerFile(bytes, options, onRows);
  const read = await readPartnerFile(bytes, { ...options, header: reshape.header }, (raw, at) => {
    const rows = reshape.reshape(raw);
    if (rows.length > 0) onRows(rows, at);
  });
  const held = reshape.finish();
  if (held.length > 0) onRows(held);
  return reshape.outcome(read);
}
