import { closeSync, openSync, writeSync } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from "@duckdb/node-api";
import {
  type CountedCell,
  type CountingPlan,
  countsOf,
  dimensionsOf,
  groupOf,
  partialsOf,
  recordWeight,
} from "../aggregate/aggregate-rows.ts";
import type { Feed } from "../load/load-project.ts";
import { hashKey, type KeyHash } from "../normalize/key-table.ts";
import type { NormalizedRow } from "../normalize/normalize-rows.ts";
import type { Repeat } from "../rows/repeat.ts";
import { makeScratchDir } from "../scratch.ts";
import type { CountingEngine, FileCounter } from "./counting-engine.ts";

export interface DuckDBEngineOptions {
  /** Where the temporary database and row files go (default: the system's temporary folder); removed on close. */
  tempDir?: string;
  /** DuckDB's own memory limit; past it, DuckDB spills to the temporary folder. */
  memoryLimit?: string;
  threads?: number;
}

/**
 * The DuckDB engine: each file's normalized rows (already validated by c2c, cell by cell) are
 * written to a temporary file as they stream, then DuckDB finds the rows that repeat a key and
 * counts the cells with SQL, out of core: what grows with the rows stays on disk, so memory does
 * not depend on the file's length. It gives the same partial counts (in the same order) and the
 * same repeats as the builtin engine; a test holds the two equal.
 *
 * The rows go to DuckDB as CSV text, written once a chunk, rather than through its appender (a
 * dozen calls into the native module a row): several times faster.
 */
export async function createDuckDBEngine(options: DuckDBEngineOptions = {}): Promise<CountingEngine> {
  const dir = makeScratchDir("duckdb", options.tempDir);
  let database: { instance: DuckDBInstance; connection: DuckDBConnection } | null = null;
  let files = 0;
  const connect = async (): Promise<DuckDBConnection> => {
    if (database === null) {
      const { DuckDBInstance } = await import("@duckdb/node-api");
      const instance = await DuckDBInstance.create(path.join(dir, "counts.duckdb"), {
        threads: String(options.threads ?? Math.max(1, Math.min(2, os.availableParallelism()))),
        memory_limit: options.memoryLimit ?? "128MB",
        temp_directory: path.join(dir, "spill"),
        preserve_insertion_order: "false",
      });
      database = { instance, connection: await instance.connect() };
    }
    return database.connection;
  };
  return {
    name: "duckdb",
    findsRepeats: true,
    counterFor: async (plan) => new DuckDBFileCounter(plan, path.join(dir, `file${++files}`), connect),
    close: async () => {
      if (database !== null) {
        database.connection.closeSync();
        database.instance.closeSync();
        database = null;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

type ColumnType = "INTEGER" | "UINTEGER" | "VARCHAR" | "DOUBLE";

/**
 * One file's counter. Its rows go to two files: the rows themselves, small and all numbers (the
 * key as two hashes, each text as a code into the file's own dictionary), which DuckDB reads whole;
 * and each row's key as text, which DuckDB reads only when two rows' hashes agree, to tell a real
 * repeat from a collision: repeats are found on the keys themselves, exactly.
 */
class DuckDBFileCounter implements FileCounter {
  private readonly rowsFile: CsvFile;
  private readonly keysFile: CsvFile;
  private readonly columns: [name: string, type: ColumnType][];
  /** Record files: the schema's dimension columns, in the order written. */
  private readonly dimensionFields: string[];
  private readonly codes = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly hashes: KeyHash = { a: 0, b: 0 };
  private rows = 0;

  constructor(
    private readonly plan: CountingPlan,
    private readonly name: string,
    private readonly connect: () => Promise<DuckDBConnection>,
  ) {
    this.rowsFile = new CsvFile(`${name}.csv`);
    this.keysFile = new CsvFile(`${name}-keys.csv`);
    this.dimensionFields = [...new Set(plan.feeds.flatMap((f) => dimensionsOf(f, plan).map((d) => d.field)))];
    const columns: [string, ColumnType][] = [
      ["line", "INTEGER"],
      ["ka", "UINTEGER"],
      ["kb", "UINTEGER"],
      ["whole", "UINTEGER"],
      ["year", "INTEGER"],
      ["district", "INTEGER"],
    ];
    if (plan.kind === "record") {
      for (let i = 0; i < this.dimensionFields.length; i++) columns.push([`d${i}`, "INTEGER"]);
      for (let f = 0; f < plan.feeds.length; f++) columns.push([`w${f}`, "INTEGER"]);
    } else {
      columns.push(["school", "INTEGER"], ["dimension", "INTEGER"], ["grp", "INTEGER"]);
      for (let f = 0; f < plan.feeds.length; f++)
        columns.push([`c${f}`, "INTEGER"], [`n${f}`, "DOUBLE"], [`e${f}`, "DOUBLE"], [`x${f}`, "DOUBLE"]);
    }
    this.columns = columns;
  }

  add(rows: readonly NormalizedRow[]): void {
    const { plan, hashes, rowsFile: out, keysFile: keys } = this;
    for (const row of rows) {
      const key = row.key;
      if (key === null) throw new Error("the DuckDB engine needs each row's key (normalize with deferDuplicates)");
      hashKey(key.text, hashes);
      out.cells(row.line, hashes.a, hashes.b, key.whole, row.year, this.code(row.district ?? ""));
      if (plan.kind === "record") {
        for (const field of this.dimensionFields) out.cell(this.code(groupOf(row, field)));
        for (const feed of plan.feeds) out.cell(recordWeight(row, feed));
      } else {
        out.cells(this.code(row.school ?? ""), this.code(row.dimension ?? ""), this.code(row.group ?? ""));
        for (const feed of plan.feeds) {
          const c = countsOf(row, feed);
          if (c === null) out.cells(0, 0, 0, 0);
          else out.cells(1, c.numerator, c.denominator, c.withheld);
        }
      }
      out.endRow();
      keys.cells(row.line, quote(key.text), quote(key.shown));
      keys.endRow();
      this.rows++;
    }
    // Written once a chunk, so the text of its rows is garbage before the next chunk.
    out.flush();
    keys.flush();
  }

  async finish(): Promise<{ partials: ReturnType<typeof partialsOf>; repeats: Repeat[] }> {
    this.rowsFile.close();
    this.keysFile.close();
    if (this.rows === 0) return { partials: partialsOf(this.plan, []), repeats: [] };
    const db = await this.connect();
    const t = path.basename(this.name).replace(/\W/g, "_");
    // Read as needed rather than loaded into a table: each query streams the file in small buffers.
    const rows = readCsv(this.rowsFile.path, this.columns, { bufferSize: 1 << 20 });
    // Rows whose key hashes agree with another row's: repeats, or (rarely) a collision, told apart on the keys' text.
    await db.run(`CREATE OR REPLACE TEMP TABLE ${t}_alike AS SELECT line, whole FROM ${rows}
       SEMI JOIN (SELECT ka, kb FROM ${rows} GROUP BY ka, kb HAVING count(*) > 1) alike USING (ka, kb)`);
    const alike = num((await rowsOf(db, `SELECT count(*) AS n FROM ${t}_alike`))[0]?.n);
    let repeats: Repeat[] = [];
    let kept = rows;
    if (alike > 0) {
      const keys = readCsv(this.keysFile.path, [
        ["line", "INTEGER"],
        ["key", "VARCHAR"],
        ["shown", "VARCHAR"],
      ]);
      // A key's first row is counted; every later row with that key is a repeat of it.
      await db.run(`CREATE OR REPLACE TEMP TABLE ${t}_repeats AS
         WITH keyed AS (SELECT k.line, k.key, k.shown, a.whole FROM ${keys} k JOIN ${t}_alike a ON k.line = a.line),
           firsts AS (SELECT key, min(line) AS first, arg_min(whole, line) AS first_whole FROM keyed GROUP BY key HAVING count(*) > 1)
         SELECT k.line, f.first, k.whole = f.first_whole AS same_row, k.shown
         FROM keyed k JOIN firsts f ON k.key = f.key WHERE k.line <> f.first`);
      repeats = (await rowsOf(db, `SELECT line, first, same_row, shown FROM ${t}_repeats ORDER BY line`)).map((r) => ({
        line: num(r.line),
        first: num(r.first),
        sameRow: r.same_row === true,
        shown: String(r.shown),
      }));
      kept = `(SELECT * FROM ${rows} r ANTI JOIN ${t}_repeats p ON r.line = p.line)`;
    }
    const cells: CountedCell[][] = [];
    for (let f = 0; f < this.plan.feeds.length; f++) {
      const feed = this.plan.feeds[f] as Feed;
      cells.push(
        this.plan.kind === "record" ? await this.countRecords(db, kept, feed, f) : await this.countCounts(db, kept, f),
      );
    }
    for (const table of [`${t}_repeats`, `${t}_alike`]) await db.run(`DROP TABLE IF EXISTS ${table}`);
    return { partials: partialsOf(this.plan, cells), repeats };
  }

  /** A record feed's cells: everyone, and each dimension's groups, in the order the builtin engine first counts them. */
  private async countRecords(db: DuckDBConnection, kept: string, feed: Feed, f: number): Promise<CountedCell[]> {
    if (!feed.denominator || !feed.numerator) return [];
    const dims = dimensionsOf(feed, this.plan);
    const columns = dims.map((d) => `d${this.dimensionFields.indexOf(d.field)}`);
    const sets = ["(year, district)", ...columns.map((c) => `(year, district, ${c})`)].join(", ");
    // Which set a row of the result is: 0 for everyone, i + 1 for the i-th dimension.
    const which =
      columns.length === 0
        ? "0"
        : `CASE ${columns.map((c, i) => `WHEN GROUPING(${c}) = 0 THEN ${i + 1}`).join(" ")} ELSE 0 END`;
    const result = await rowsOf(
      db,
      `SELECT ${["year", "district", ...columns].join(", ")}, ${which} AS set_index,
         CAST(count(*) FILTER (WHERE w${f} = 2) AS DOUBLE) AS numerator, CAST(count(*) AS DOUBLE) AS denominator,
         min(line) AS first
       FROM ${kept} WHERE w${f} > 0
       GROUP BY GROUPING SETS (${sets})
       ORDER BY first, set_index`,
    );
    return result.map((r) => {
      const set = num(r.set_index);
      const dim = set === 0 ? undefined : dims[set - 1];
      return {
        year: num(r.year),
        district: this.text(r.district),
        school: "",
        dimension: dim?.dimension ?? "all",
        group: dim === undefined ? "all" : this.text(r[columns[set - 1] as string]),
        numerator: num(r.numerator),
        denominator: num(r.denominator),
        withheld: 0,
      };
    });
  }

  /** An aggregate feed's cells: each row's counts added up by cell, in first-counted order. */
  private async countCounts(db: DuckDBConnection, kept: string, f: number): Promise<CountedCell[]> {
    const result = await rowsOf(
      db,
      `SELECT year, district, school, dimension, grp, CAST(sum(n${f}) AS DOUBLE) AS numerator,
         CAST(sum(e${f}) AS DOUBLE) AS denominator, CAST(sum(x${f}) AS DOUBLE) AS withheld, min(line) AS first
       FROM ${kept} WHERE c${f} = 1
       GROUP BY year, district, school, dimension, grp
       ORDER BY first`,
    );
    return result.map((r) => ({
      year: num(r.year),
      district: this.text(r.district),
      school: this.text(r.school),
      dimension: this.text(r.dimension),
      group: this.text(r.grp),
      numerator: num(r.numerator),
      denominator: num(r.denominator),
      withheld: num(r.withheld),
    }));
  }

  async close(): Promise<void> {
    this.rowsFile.close();
    this.keysFile.close();
  }

  /** A text's code in this file's dictionary. */
  private code(text: string): number {
    let code = this.codes.get(text);
    if (code === undefined) {
      code = this.texts.length;
      this.texts.push(text);
      this.codes.set(text, code);
    }
    return code;
  }

  private text(code: DuckDBValue | undefined): string {
    return this.texts[num(code)] ?? "";
  }
}

/**
 * A CSV file written a chunk of rows at a time, synchronously (rows arrive in a synchronous
 * callback). Cells are gathered in one array and joined once per chunk: building each line by
 * concatenation would leave a tree of partial strings per row for the collector.
 */
class CsvFile {
  private readonly fd: number;
  private parts: (string | number)[] = [];
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }

  cell(value: string | number): void {
    this.parts.push(value, ",");
  }

  cells(...values: (string | number)[]): void {
    for (const v of values) this.parts.push(v, ",");
  }

  endRow(): void {
    this.parts[this.parts.length - 1] = "\n";
  }

  flush(): void {
    if (this.parts.length === 0 || this.closed) return;
    writeSync(this.fd, this.parts.join(""));
    this.parts = [];
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }
}

/** read_csv of a file this engine wrote: no header, every column declared, quoted text kept as text. */
function readCsv(
  file: string,
  columns: readonly [string, ColumnType][],
  options: { bufferSize?: number } = {},
): string {
  const declared = columns.map(([name, type]) => `'${name}': '${type}'`).join(", ");
  // A small buffer where lines are short: DuckDB's default (32 MB a thread) would outweigh the rest.
  const buffer =
    options.bufferSize !== undefined
      ? `, buffer_size = ${options.bufferSize}, max_line_size = ${options.bufferSize}`
      : "";
  return `read_csv(${sqlText(file)}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"',
    allow_quoted_nulls = false${buffer}, columns = {${declared}})`;
}

async function rowsOf(db: DuckDBConnection, sql: string): Promise<Record<string, DuckDBValue>[]> {
  return (await db.runAndReadAll(sql)).getRowObjects();
}

/** A number from a result cell (DuckDB's 64-bit integers arrive as bigint). */
function num(v: DuckDBValue | undefined): number {
  return Number(v);
}

/** A CSV cell: always quoted, so an empty string stays a string (not NULL). */
function quote(text: string): string {
  return text.includes('"') ? `"${text.replaceAll('"', '""')}"` : `"${text}"`;
}

function sqlText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
