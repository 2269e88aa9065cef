import { formatSizeIn } from "../messages/format-size.ts";

/**
 * Every read c2c makes has a bound in bytes and in time, so that no file (a device that streams
 * forever, a network drive that stopped answering) can keep a command running for ever.
 */
export interface ReadLimits {
  /** The most bytes c2c reads of any one partner file (streamed; see `WHOLE_FILE_MAX_BYTES` for others). */
  maxBytes: number;
  /** A read that brings nothing for this long fails, naming the file (milliseconds). */
  stallMs: number;
}

/**
 * 16 GB: a statewide extract of a couple of hundred million rows; a partner's yearly file is a
 * thousandth of it. A minute without a byte: a local disk answers in milliseconds, a network drive in
 * seconds; a drive silent for a minute has stopped.
 */
export const DEFAULT_READ_LIMITS: ReadLimits = { maxBytes: 16e9, stallMs: 60_000 };

/**
 * A file read whole into memory (the project's configuration, catalog and boundaries, c2c's own
 * templates and assets, a built site's files for `verify`) is bounded by this, not `--max-size`:
 * none is near it, and a partner file is never read whole.
 */
export const WHOLE_FILE_MAX_BYTES = 1e9;

/** The options of every command that reads partner files. */
export const READ_LIMIT_OPTIONS = {
  "max-size": { type: "string" },
  "read-timeout": { type: "string" },
} as const;

/** The lines of `--help` that document them, with the descriptions from `column` on (as the command's others). */
export function readLimitsHelp(column: number): string {
  const options: [string, string[]][] = [
    [
      "--max-size SIZE",
      [
        "read at most SIZE of any one partner file (default 16GB; such as 500MB",
        "or 40GB): a larger file is not read, and c2c says which and why",
      ],
    ],
    ["--read-timeout S", ["a read that brings nothing for S seconds fails, naming the file", "(default 60)"]],
  ];
  return options
    .flatMap(([name, lines]) =>
      lines.map((line, i) => `${(i === 0 ? `  ${name}` : "").padEnd(Math.max(column, name.length + 3))}${line}`),
    )
    .join("\n");
}

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  kb: 1e3,
  k: 1e3,
  mb: 1e6,
  m: 1e6,
  gb: 1e9,
  g: 1e9,
  tb: 1e12,
  t: 1e12,
};

/** `16GB`, `500 MB`, `1.5TB`, `2G` or a number of bytes; null when it is none of these. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = UNITS[(m?.[2] ?? "").toLowerCase()];
  if (!m || unit === undefined) return null;
  const bytes = Math.round(Number(m[1]) * unit);
  return bytes > 0 ? bytes : null;
}

/** A size as a person reads it: `16 GB`, `2.5 MB`, `812 bytes`. */
export function formatSize(bytes: number): string {
  return formatSizeIn(bytes, "en");
}

/** `--max-size` to suggest for a file of this size: the next whole GB (or MB) above it. */
export function sizeAbove(bytes: number): string {
  return bytes >= 1e9 ? `${Math.ceil(bytes / 1e9) + 1}GB` : `${Math.ceil(bytes / 1e6)}MB`;
}

/** The limits `--max-size` and `--read-timeout` ask for, or what is wrong with them. */
export function parseReadLimits(values: {
  "max-size"?: unknown;
  "read-timeout"?: unknown;
}): ReadLimits | { error: string } {
  const limits = { ...DEFAULT_READ_LIMITS };
  const size = values["max-size"];
  if (typeof size === "string") {
    const bytes = parseSize(size);
    if (bytes === null) return { error: `--max-size takes a size such as 500MB or 40GB, not \`${size}\`` };
    limits.maxBytes = bytes;
  }
  const timeout = values["read-timeout"];
  if (typeof timeout === "string") {
    const seconds = Number(timeout);
    if (!(timeout.trim() !== "" && Number.isFinite(seconds) && seconds > 0 && seconds <= 86_400))
      return { error: `--read-timeout takes a number of seconds (more than 0, at most 86400), not \`${timeout}\`` };
    limits.stallMs = seconds * 1000;
  }
  return limits;
}
