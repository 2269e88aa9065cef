/**
 * Every way the output folder (`--out`) can be refused or fail, in one place: a stable code, what
 * is wrong, and what to do. Printed as `--out PATH: message fix [code]`; `--json` gives the fields.
 * These are about the analyst's folder and disk, never a partner's file (those are issues, in
 * `pipeline/issues/catalogue.ts`).
 */

export type OutputErrorCode =
  | "out-is-root"
  | "out-is-home"
  | "out-holds-home"
  | "out-is-project"
  | "out-holds-project"
  | "out-in-data"
  | "out-is-file"
  | "out-not-c2c"
  | "out-cannot-create"
  | "out-not-writable"
  | "out-read-only"
  | "out-disk-full"
  | "out-write-failed";

/** What the messages may mention. */
export interface OutputErrorParams {
  /** The folder or file concerned, as the user named it or as c2c reached it. */
  path: string;
  /** Names found in a folder c2c did not make, or the system's reason. */
  detail?: string;
  /** A folder to suggest instead. */
  suggestion?: string;
}

const OWN_FOLDER = "Give --out a folder of its own: a new one (c2c makes it) or an empty one";

const CATALOGUE: Record<
  OutputErrorCode,
  { message: (p: OutputErrorParams) => string; fix: (p: OutputErrorParams) => string }
> = {
  "out-is-root": {
    message: () => "this is the root of the file system; c2c would write its folders among the system's own.",
    fix: (p) => `${OWN_FOLDER}, such as ${p.suggestion}.`,
  },
  "out-is-home": {
    message: (p) =>
      `this is your home folder${p.detail ? ` (${p.detail})` : ""}; c2c would write its site/ and private/ folders among your own files.`,
    fix: (p) => `${OWN_FOLDER}, such as ${p.suggestion}.`,
  },
  "out-holds-home": {
    message: (p) => `this folder holds your home folder (${p.detail}); c2c writes only into a folder of its own.`,
    fix: (p) => `${OWN_FOLDER}, such as ${p.suggestion}.`,
  },
  "out-is-project": {
    message: () =>
      "this is the project folder itself; the outputs would sit among c2c.config.yaml, data/ and the rest.",
    fix: (p) => `${OWN_FOLDER}, such as ${p.suggestion} (the default).`,
  },
  "out-holds-project": {
    message: (p) => `this folder holds the project (${p.detail}); c2c writes only into a folder of its own.`,
    fix: (p) => `${OWN_FOLDER}, such as ${p.suggestion} (the default).`,
  },
  "out-in-data": {
    message: () =>
      "this is inside the project's data/ folder, where partners' files go; the next build would take the outputs for partner files.",
    fix: (p) => `${OWN_FOLDER} outside data/, such as ${p.suggestion} (the default).`,
  },
  "out-is-file": {
    message: (p) => `this is a file${p.detail ? ` (${p.detail})` : ""}, not a folder.`,
    fix: (p) => `Give --out a folder: a new one (c2c makes it), such as ${p.suggestion}.`,
  },
  "out-not-c2c": {
    message: (p) =>
      `this folder was not made by c2c and is not empty (it holds ${p.detail}); c2c never writes into, or deletes from, a folder of someone else's files.`,
    fix: (p) =>
      `Give --out a new or empty folder, such as ${p.suggestion} (c2c knows a folder it made by its .c2c/made-by-c2c), or move your files out of this one.`,
  },
  "out-cannot-create": {
    message: (p) => `the folder cannot be made: ${p.detail}.`,
    fix: () => "Check the path: every folder above it must exist (or be one c2c can make) and be a folder, not a file.",
  },
  "out-not-writable": {
    message: (p) => `c2c may not write here: ${p.detail}.`,
    fix: () =>
      "Give --out a folder you may write to, or ask whoever owns this one for write permission; nothing was published, and the site already there (if any) is as it was.",
  },
  "out-read-only": {
    message: (p) => `the disk that holds this folder is read-only: ${p.detail}.`,
    fix: () =>
      "Give --out a folder on a disk that can be written to; nothing was published, and the site already there (if any) is as it was.",
  },
  "out-disk-full": {
    message: (p) => `the disk is full: ${p.detail}.`,
    fix: () =>
      "Free some space on the disk that holds --out (`df -h` shows how much is left), or give --out a folder on another disk, and build again. Nothing was published: the site already there (if any) is as it was, and c2c removed what it had begun to write.",
  },
  "out-write-failed": {
    message: (p) => `writing the outputs failed: ${p.detail}.`,
    fix: () =>
      "Check that the folder and the disk that holds it can be written to, and build again. Nothing was published: the site already there (if any) is as it was.",
  },
};

/** A refusal of `--out`, or a fault of the disk while writing it: where, what, and the fix. */
export class OutputFolderError extends Error {
  readonly fix: string;
  constructor(
    readonly code: OutputErrorCode,
    readonly params: OutputErrorParams,
  ) {
    const entry = CATALOGUE[code];
    super(entry.message(params));
    this.name = "OutputFolderError";
    this.fix = entry.fix(params);
  }

  /** `--out PATH: message fix [code]`: one line an analyst can act on. */
  format(): string {
    return `--out ${this.params.path}: ${this.message} ${this.fix} [${this.code}]`;
  }

  toJSON(): { code: OutputErrorCode; path: string; message: string; fix: string } {
    return { code: this.code, path: this.params.path, message: this.message, fix: this.fix };
  }
}

/** The system's error codes c2c turns into an output fault, and which. */
const FAULTS: Record<string, OutputErrorCode> = {
  ENOSPC: "out-disk-full",
  EDQUOT: "out-disk-full",
  EACCES: "out-not-writable",
  EPERM: "out-not-writable",
  EROFS: "out-read-only",
  ENOENT: "out-cannot-create",
  ENOTDIR: "out-cannot-create",
  ENAMETOOLONG: "out-cannot-create",
  ELOOP: "out-cannot-create",
};

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOENT: "a folder above it does not exist and cannot be made",
  ENOTDIR: "a part of the path is a file, not a folder",
  ENAMETOOLONG: "the path is too long",
  ELOOP: "too many symbolic links in the path",
};

/** A system error (it has an errno `code`) met while writing `outDir`, as an output fault; null for any other error. */
export function outputFault(e: unknown, outDir: string): OutputFolderError | null {
  if (e instanceof OutputFolderError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== "string" || !/^E[A-Z]+$/.test(code)) return null;
  const where = (e as NodeJS.ErrnoException).path;
  const reason = `${REASONS[code] ?? (e as Error).message} (${code}${where ? `, at ${where}` : ""})`;
  return new OutputFolderError(FAULTS[code] ?? "out-write-failed", { path: outDir, detail: reason });
}
