/**
 * Everything the build does to the outside world goes through one of these: reading the project
 * and c2c's own assets, writing `out/`, and telling the user what is happening. Stages 4 to 9 never
 * see it; tests pass an in-memory one.
 */
export interface Effects {
  /** Reads a whole file. For configuration and assets, never for partner files. */
  readFile(path: string): Promise<Uint8Array>;
  /** Streams a file's bytes in chunks, so a partner file of any size never sits in memory whole. */
  readStream(path: string): AsyncIterable<Uint8Array>;
  /** Every file below `dir`, recursively, as paths relative to `dir` with `/` separators, sorted. */
  listFiles(dir: string): Promise<string[]>;
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
  log: Logger;
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
