import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { itemAt } from "../internal-error.ts";
import { makeScratchDir } from "../scratch.ts";
import { KeyTable } from "./key-table.ts";

/** Partitions, by the top bits of a key's second hash: each holds about 1/64 of a file's keys. */
const PARTITIONS = 64;
/** Keys buffered per partition before they are written: 64 KiB. */
const BUFFERED = 4096;

/** A row whose key an earlier row had, found after reading. */
export interface SpilledRepeat {
  /** The row's line, as the part that read it numbers it. */
  line: number;
  /** The earlier row's line in the file. */
  first: number;
  /** Whether the whole row repeats the earlier one. */
  sameRow: boolean;
}

/**
 * The keys of a large file's rows, kept on disk instead of in memory: each row's two key hashes,
 * line and whole-row hash (16 bytes) are appended, as rows stream, to one of 64 partition files by
 * the key's second hash. Repeats are found once the file is read (`findSpilledRepeats`), one partition at a
 * time, so memory stays flat however many rows the file has. Rows are counted as they stream; the
 * repeats found are then read again and taken back out of the counts.
 */
export class KeySpill {
  readonly dir: string;
  private readonly buffers = Array.from({ length: PARTITIONS }, () => new Uint32Array(BUFFERED * 4));
  private readonly filled = new Array<number>(PARTITIONS).fill(0);
  private readonly fds: (number | null)[] = new Array(PARTITIONS).fill(null);

  constructor() {
    this.dir = makeScratchDir("keys");
  }

  add(a: number, b: number, line: number, whole: number): void {
    // By the second hash: the first places a key in a partition's table, which must see it spread.
    const p = b >>> 26;
    const buffer = itemAt(this.buffers, p, "partition");
    const filled = itemAt(this.filled, p, "partition");
    const at = filled * 4;
    buffer[at] = a;
    buffer[at + 1] = b;
    buffer[at + 2] = line;
    buffer[at + 3] = whole;
    this.filled[p] = filled + 1;
    if (filled + 1 === BUFFERED) this.flush(p);
  }

  /** Writes what is buffered, and closes the files: the partitions can be read. */
  finish(): void {
    for (let p = 0; p < PARTITIONS; p++) {
      this.flush(p);
      const fd = this.fds[p];
      if (fd !== null && fd !== undefined) closeSync(fd);
      this.fds[p] = null;
    }
  }

  /** Removes the files. */
  close(): void {
    for (const fd of this.fds) if (fd !== null) closeSync(fd);
    this.fds.fill(null);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(p: number): void {
    const n = itemAt(this.filled, p, "partition");
    if (n === 0) return;
    let fd = this.fds[p] ?? null;
    if (fd === null) {
      fd = openSync(partitionFile(this.dir, p), "a");
      this.fds[p] = fd;
    }
    const buffer = itemAt(this.buffers, p, "partition");
    writeSync(fd, buffer, 0, n * 16);
    this.filled[p] = 0;
  }
}

function partitionFile(dir: string, p: number): string {
  return path.join(dir, `keys-${p}`);
}

/**
 * The repeated rows of a file read in parts (or whole: one part), from each part's finished
 * spill and where its lines start in the file: per part, its rows whose key an earlier row of the
 * file had, with that row's line, in line order. The first row of a key is the one counted.
 */
export function findSpilledRepeats(dirs: readonly string[], offsets: readonly number[]): SpilledRepeat[][] {
  const out: SpilledRepeat[][] = dirs.map(() => []);
  for (let p = 0; p < PARTITIONS; p++) {
    const parts = dirs.map((dir) => {
      try {
        const bytes = readFileSync(partitionFile(dir, p));
        // Copied: a small file's bytes may sit at any offset of a shared buffer.
        const keys = new Uint32Array(bytes.byteLength / 4);
        new Uint8Array(keys.buffer).set(bytes);
        return keys;
      } catch {
        return new Uint32Array(0);
      }
    });
    const table = new KeyTable();
    table.reserve(parts.reduce((n, keys) => n + keys.length / 4, 0));
    parts.forEach((keys, k) => {
      const offset = itemAt(offsets, k, "part");
      const repeats = itemAt(out, k, "part");
      const word = (at: number) => itemAt(keys, at, "spilled word");
      for (let at = 0; at < keys.length; at += 4) {
        const line = word(at + 2);
        const seen = table.seenOrAddHashes(word(at), word(at + 1), word(at + 3), line + offset);
        if (seen) repeats.push({ line, first: seen.line, sameRow: seen.sameRow });
      }
    });
  }
  for (const repeats of out) repeats.sort((a, b) => a.line - b.line);
  return out;
}
