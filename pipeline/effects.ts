/**
 * Everything the build does to the outside world goes through one of these: reading the project
 * and c2c's own assets, writing `out/`, and telling the user what is happening. Stages 4 to 9 never
 * see it; tests pass an in-memory one.
 */
export interface Effects {
  /** Reads a whole file. For configuration and assets, never for partner files. */
  readFile(path: string): Promise<Uint8Array>;
  /**
   * Streams a file's bytes in chunks, so a partner file of any size never sits in memory whole;
   * with `range`, only the bytes from `start` up to (not including) `end`.
   */
  readStream(path: string, range?: ByteRange): AsyncIterable<Uint8Array>;
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

/** Bytes `start` up to (not including) `end` of a file. */
export interface ByteRange {
  start: number;
  end: number;
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
    readStream: (p, range) =>
      (async function* () {
        const from = `${p}\u0000${range?.start ?? 0}`;
        const again = streamed.has(from);
        streamed.add(from);
        const total = await effects.stat(p).then(
          (s) => s.size,
          () => 0,
        );
        let read = 0;
        for await (const chunk of effects.readStream(p, range)) {
          read += chunk.length;
          onRead(read, total, again);
          yield chunk;
        }
      })(),
  };
}
