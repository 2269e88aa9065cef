import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import Papa from "papaparse";
import type { ExtractMapping, ExtractSchema, PartnerExtract } from "../../schemas/index.ts";
import { type Issue, makeIssue } from "../issues/catalogue.ts";
import type { Project } from "../load/load-project.ts";
import { DecodeError, decodeChunks, type TextEncodingName } from "../read/decode-text.ts";
import {
  detectDelimiter,
  type RawRow,
  type ReadOptions,
  type ReadOutcome,
  readPartnerFile,
} from "../read/read-partner-file.ts";
import { createReshaper, type ReshapeContext } from "./reshape-rows.ts";

/** How a partner's extract is read: through its mapping when it has one, else as the schema's own layout. */
export function readerFor(extract: PartnerExtract, schema: ExtractSchema, project: Project): typeof readPartnerFile {
  if (!extract.mapping) return readPartnerFile;
  return mappedFileReader({
    mapping: extract.mapping,
    schema,
    percentScale: extract.percentScale,
    vocabularies: project.vocabularies,
    districts: project.config.districts,
    markers: [...extract.suppressed, ...extract.notApplicable],
  });
}

/** The header's column names: one header row, or several joined, as the mapping says. */
export function headerNames(rows: readonly (readonly string[])[], mapping: ExtractMapping): string[] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const names: string[] = [];
  for (let c = 0; c < width; c++) {
    if (mapping.joinHeaderRows !== undefined)
      names.push(
        rows
          .map((r) => (r[c] ?? "").trim())
          .filter((t) => t !== "")
          .join(mapping.joinHeaderRows),
      );
    else names.push((rows[(mapping.headerRow ?? rows.length) - 1]?.[c] ?? "").trim());
  }
  return names;
}

/**
 * Stage 3 for a file with a mapping: decodes and parses it as it streams (papaparse), reads its
 * header rows, and hands on rows reshaped into the extract schema's field order, so validation and
 * everything after it see what a file in the schema's own layout would give. Same contract as
 * `readPartnerFile`.
 */
export function mappedFileReader(context: Omit<ReshapeContext, "where">) {
  return async function readMappedFile(
    bytes: AsyncIterable<Uint8Array>,
    options: ReadOptions,
    onRows: (rows: RawRow[]) => void,
  ): Promise<ReadOutcome> {
    const { mapping } = context;
    const where = options.where;
    const hash = createHash("sha256");
    let byteCount = 0;
    let complete = false;
    let encoding: TextEncodingName | null = null;
    const issues: Issue[] = [];
    async function* hashed(): AsyncGenerator<Uint8Array> {
      for await (const chunk of bytes) {
        hash.update(chunk);
        byteCount += chunk.length;
        yield chunk;
      }
      complete = true;
    }
    const text = decodeChunks(hashed(), (e) => {
      encoding = e;
    });
    let delimiter = options.delimiter ?? null;
    let decodeFailure: DecodeError | null = null;
    async function* guarded(): AsyncGenerator<string> {
      try {
        for await (const t of text) {
          delimiter ??= detectDelimiter(t.split(/\r?\n|\r/, 1)[0] ?? "");
          yield t;
        }
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        decodeFailure = e;
      }
    }
    // papaparse needs the delimiter before it starts: peek at the first chunk of text.
    const iterator = guarded();
    const first = await iterator.next();
    async function* all(): AsyncGenerator<string> {
      if (!first.done) yield first.value;
      yield* iterator;
    }
    const source = Readable.from(all(), { objectMode: true });

    const headerRows: string[][] = [];
    type Compiled = Extract<ReturnType<typeof createReshaper>, { reshape: unknown }>;
    const state: { reshaper: Compiled | null } = { reshaper: null };
    let failed = false;
    let line = 0;
    let rowsPassed = 0;
    const hand = (rows: RawRow[]) => {
      if (rows.length === 0) return;
      rowsPassed += rows.length;
      onRows(rows);
    };

    if (!first.done)
      await new Promise<void>((resolve, reject) => {
        Papa.parse<string[]>(source, {
          delimiter: delimiter ?? ",",
          skipEmptyLines: false,
          chunk(results, parser) {
            for (const e of results.errors)
              if (e.code === "MissingQuotes") {
                failed = true;
                issues.push(
                  makeIssue(
                    "parse-error",
                    { ...where, line: (e.row ?? 0) + 1 },
                    { detail: `a quoted value that starts on row ${(e.row ?? 0) + 1} never ends` },
                  ),
                );
              }
            const out: RawRow[] = [];
            for (const cells of results.data) {
              line++;
              if (headerRows.length < mapping.headerRows) {
                headerRows.push(cells);
                if (headerRows.length === mapping.headerRows) {
                  const compiled = createReshaper(headerNames(headerRows, mapping), { ...context, where });
                  if (!("reshape" in compiled)) {
                    issues.push(...compiled.issues);
                    failed = true;
                    parser.abort();
                    return;
                  }
                  state.reshaper = compiled;
                }
                continue;
              }
              if (cells.every((c) => c.trim() === "")) continue;
              const r = state.reshaper;
              if (r === null) continue;
              const width = headerRows[headerRows.length - 1]?.length ?? 0;
              if (cells.length !== width) {
                issues.push(
                  makeIssue(
                    cells.length > width ? "extra-cell" : "missing-cell",
                    { ...where, line },
                    { count: cells.length, expected: String(width) },
                  ),
                );
                continue;
              }
              out.push(...r.reshape(cells, line));
            }
            if (failed) return;
            hand(out);
            if (options.shouldStop?.()) parser.abort();
          },
          complete: () => resolve(),
          error: (err: Error) => reject(err),
        });
      });
    source.destroy();

    const r = state.reshaper;
    let rowsRead = 0;
    if (r !== null && !failed) {
      hand(r.finish());
      issues.push(...r.issues);
      rowsRead = r.rowsSeen;
    }
    const failure = decodeFailure as DecodeError | null;
    if (failure) {
      failed = true;
      issues.push(
        makeIssue(
          "encoding-error",
          { ...where, line: failure.line },
          { expected: (encoding as TextEncodingName | null)?.toUpperCase() ?? "text" },
        ),
      );
    }
    if (r === null && !failed && headerRows.length < mapping.headerRows) {
      failed = true;
      issues.push(makeIssue("empty-file", { ...where, line: 1 }));
    }
    return {
      encoding,
      delimiter,
      sha256: complete ? hash.digest("hex") : null,
      bytes: byteCount,
      rowsRead,
      rowsPassed: failed ? 0 : rowsPassed,
      issues,
      failed,
      // A mapped file is never read in parts, which alone ask for these.
      records: rowsRead,
      trailingBlank: 0,
      misshapen: 0,
      linebreak: "",
    };
  };
}
