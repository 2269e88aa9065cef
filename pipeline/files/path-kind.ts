import { formatSize } from "./read-limits.ts";

/**
 * What c2c finds at a path before it opens anything there. c2c reads only regular files, and only
 * inside the project when reading the project: anything else is described here, so that it can be
 * told to the user as an issue with a fix, and is never opened.
 */

/** What a directory entry is, its own type (a link is not followed). */
export type EntryType = "file" | "folder" | "link" | "fifo" | "socket" | "device" | "other";

/** Kinds of entry that are not files or folders: never opened (opening a FIFO waits for a writer; a device streams forever). */
export type SpecialType = "fifo" | "socket" | "device" | "other";

/**
 * A path as c2c decides whether to read it. A link is described by where it leads; `link` says
 * that the path itself is one (followed because it stays inside the folder reads are confined to).
 */
export type PathKind =
  | { kind: "file"; real: string; size: number; link: boolean }
  | { kind: "folder"; real: string; link: boolean }
  | { kind: "special"; type: SpecialType; link: boolean }
  | { kind: "missing" }
  /** No permission to look: a folder on the way that cannot be searched. */
  | { kind: "denied" }
  /** A link (or a folder on the way) that leads out of the folder reads are confined to. */
  | { kind: "link-outside"; target: string }
  | { kind: "link-loop" }
  | { kind: "link-broken"; target: string };

/** Why c2c did not read a file, or stopped reading it. */
export type Refusal =
  | Exclude<PathKind, { kind: "file" }>
  /** A folder whose entries could not be listed, for lack of permission. */
  | { kind: "unlisted" }
  /** A file c2c has no permission to open. */
  | { kind: "unreadable" }
  | { kind: "too-large"; size: number; limit: number; grew: boolean }
  | { kind: "stalled"; seconds: number };

/** Thrown instead of opening (or reading on), with what was found. */
export class RefusedFileError extends Error {
  readonly refusal: Refusal;
  constructor(
    readonly path: string,
    refusal: Refusal,
  ) {
    super(`${path}: ${describeRefusal(refusal)}`);
    this.name = "RefusedFileError";
    this.refusal = refusal;
  }
}

/** One entry below a listed folder: its path relative to the folder (`/` separators; folders end with `/`). */
export interface FolderEntry {
  path: string;
  what: PathKind | { kind: "unlisted" };
}

const SPECIAL_NAMES: Record<SpecialType, string> = {
  fifo: "a FIFO (named pipe)",
  socket: "a socket",
  device: "a device",
  other: "an entry of an unknown kind",
};

/** "a FIFO (named pipe)", "a link to a device": what a special entry is, as the user is told. */
export function describeSpecial(type: SpecialType, link: boolean): string {
  return link ? `a link to ${SPECIAL_NAMES[type]}` : SPECIAL_NAMES[type];
}

/** One phrase for a refusal, for messages that are not issues (errors thrown past the reader). */
export function describeRefusal(r: Refusal): string {
  switch (r.kind) {
    case "folder":
      return r.link ? "it is a link to a folder, which c2c does not follow" : "it is a folder, not a file";
    case "special":
      return `it is ${describeSpecial(r.type, r.link)}, not a regular file, so c2c did not open it`;
    case "missing":
      return "there is no such file";
    case "denied":
    case "unlisted":
    case "unreadable":
      return "c2c has no permission to read it";
    case "link-outside":
      return `it is a link to ${r.target}, outside the project folder, so c2c did not open it`;
    case "link-loop":
      return "it is a link that leads back to itself";
    case "link-broken":
      return `it is a link to ${r.target}, which does not exist`;
    case "too-large":
      return `it is larger than ${formatSize(r.limit)}, the most c2c reads of one file`;
    case "stalled":
      return `reading it made no progress for ${r.seconds} seconds`;
  }
}
