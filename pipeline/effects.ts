import path from "node:path";
import type { ByteRange } from "./files/byte-range.ts";
import type { FolderEntry, PathKind } from "./files/path-kind.ts";
import type { ReadLimits } from "./files/read-limits.ts";

/**
 * Everything the build does to the outside world goes through one of these: reading the project
 * and c2c's own assets, writing `out/`, and telling the user what is happening. Stages 5 to 12 never
 * see it; tests pass an in-memory one.
 */
export interface Effects {
  /**
   * Reads a whole file. For configuration and assets, never for partner files. Like every read,
   * it opens only a regular file (else it throws a `RefusedFileError`), within `readLimits`.
   */
  readFile(path: string, options?: ReadOptions): Promise<Uint8Array>;
  /**
   * Streams a file's bytes in chunks, so a partner file of any size never sits in memory whole;
   * with `range`, only the bytes from `start` up to (not including) `end`.
   */
  readStream(path: string, range?: ByteRange, options?: ReadOptions): AsyncIterable<Uint8Array>;
  /** What is at a path, without opening it: a link is followed only to say where it leads. */
  inspect(path: string, options?: ReadOptions): Promise<PathKind>;
  /**
   * Every entry below `dir`, recursively, each described as `inspect` would (links, FIFOs,
   * devices, sockets and folders that cannot be listed included), sorted by code point.
   */
  listEntries(dir: string, options?: ReadOptions): Promise<FolderEntry[]>;
  /** The bounds in bytes and time that every read keeps to. */
  readLimits: ReadLimits;
  /**
   * Files whose read was given up on (`readLimits.stallMs`) and has still not come back from the
   * operating system: while one is out, the process cannot end normally.
   */
  stuckReads(): string[];
  /**
   * Every file below `dir`, recursively, as paths relative to `dir` with `/` separators, sorted by
   * code point. With `folders`, folders are listed too, with a trailing `/`.
   */
  listFiles(dir: string, options?: { folders?: boolean }): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  /**
   * A file's size in bytes (for progress) and when it was last changed, in milliseconds since 1970
   * (to tell a corrected file from the one it replaces).
   */
  stat(path: string): Promise<{ size: number; modifiedMs: number }>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  /** Removes a file or folder tree if present. */
  remove(path: string): Promise<void>;
  /** Renames a file or folder; used to swap a finished site into place. */
  rename(from: string, to: string): Promise<void>;
  /** Creates a file only if nothing is at `path` yet (atomically); false when something is. For the build lock. */
  createExclusive(path: string, data: string): Promise<boolean>;
  // For the output folder: checking `--out`, and publishing a build with one rename.
  /** What is at `path` itself (a link is not followed), or null when nothing is. */
  entryKind(path: string): Promise<EntryKind | null>;
  /** The names in one folder (not below it; hidden ones too), in code-point order. */
  listFolder(path: string): Promise<string[]>;
  /**
   * Creates a folder and its missing parents, one at a time: fails with the system's reason (its
   * `code`: ENOENT, EACCES, ENOTDIR, ENOSPC…) rather than trying again, as `mkdir -p` in /proc would.
   */
  makeFolder(path: string): Promise<void>;
  /**
   * Makes a symbolic link at `path` to `target` (relative to the link's folder). Fails with code
   * ENOTSUP where c2c does not use links (Windows: a link there cannot be replaced in one rename).
   */
  symlink(target: string, path: string): Promise<void>;
  /** The target a symbolic link holds, or null when `path` is not a link. */
  readLink(path: string): Promise<string | null>;
  /** `path` absolute, with every link resolved; for a path not there yet, its nearest existing parent's, joined with the rest. */
  realPath(path: string): Promise<string>;
  /** The user's home folder, which `--out` may never be. */
  home: string;
  /** This process, and whether another is still running: to tell a live build's lock from a stale one. */
  processes: {
    pid: number;
    host: string;
    /** Milliseconds since 1970; only for the lock, never for anything written to `out/`. */
    now(): number;
    isRunning(pid: number): boolean;
  };
  log: Logger;
}

/** What a path is, without following a link at its end. */
export type EntryKind = "file" | "folder" | "link" | "other";

/** How a read is confined. */
export interface ReadOptions {
  /**
   * Only inside this folder: a link that leads out of it is refused, never followed (links that
   * stay inside are followed).
   */
  within?: string;
}

/**
 * The same effects, with every read of a path inside `root` confined to `root`: a project's own
 * files and its partners' files, while c2c's own files (elsewhere) are read as they are.
 */
export function confinedTo(root: string, effects: Effects): Effects {
  const base = path.resolve(root);
  const inside = (p: string) => {
    const rel = path.relative(base, path.resolve(p));
    return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
  };
  const confine = (p: string, options?: ReadOptions): ReadOptions =>
    options?.within !== undefined || !inside(p) ? (options ?? {}) : { within: base };
  return {
    ...effects,
    readFile: (p, options) => effects.readFile(p, confine(p, options)),
    readStream: (p, range, options) => effects.readStream(p, range, confine(p, options)),
    inspect: (p, options) => effects.inspect(p, confine(p, options)),
    listEntries: (dir, options) => effects.listEntries(dir, confine(dir, options)),
  };
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** A logger that keeps what it is told, for tests and for `--json` runs. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
  };
}

/**
 * The same effects, with each read stream telling `onRead` the bytes read so far, the file's size,
 * and whether these effects streamed the same bytes before (`again`: a file read a second time, to
 * take repeated rows back out of the counts, or to hash it after reading stopped early).
 */
export function withReadProgress(
  effects: Effects,
  onRead: (read: number, total: number, again: boolean) => void,
): Effects {
  const streamed = new Set<string>();
  return {
    ...effects,
    readStream: (p, range, options) =>
      (async function* () {
        const from = `${p}\u0000${range?.start ?? 0}`;
        const again = streamed.has(from);
        streamed.add(from);
        const total = await effects.stat(p).then(
          (s) => s.size,
          () => 0,
        );
        let read = 0;
        for await (const chunk of effects.readStream(p, range, options)) {
          read += chunk.length;
          onRead(read, total, again);
          yield chunk;
        }
      })(),
  };
}
