import path from "node:path";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import { describeSpecial, type Refusal, RefusedFileError } from "./path-kind.ts";
import { formatSize, sizeAbove } from "./read-limits.ts";

/**
 * The issue a partner reads for a file c2c did not read, or stopped reading: what was there, that
 * it was not read, and what to do. `root` makes a path inside the project relative to it.
 */
export function issueForRefusal(refusal: Refusal, where: IssueLocation, root?: string): Issue {
  switch (refusal.kind) {
    case "folder":
      return refusal.link
        ? makeIssue("link-to-folder", where, { value: relativeTo(root, refusal.real) })
        : makeIssue("file-unreadable", where, { detail: "it is a folder, not a file" });
    case "special":
      return makeIssue("special-file", where, { detail: describeSpecial(refusal.type, refusal.link) });
    case "missing":
      return makeIssue("file-unreadable", where, { detail: "there is no such file (moved or deleted as c2c ran?)" });
    case "denied":
    case "unreadable":
      return makeIssue("permission-denied", where, { detail: "file" });
    case "unlisted":
      return makeIssue("permission-denied", where, { detail: "folder" });
    case "link-outside":
      return makeIssue("link-outside-project", where, { value: refusal.target });
    case "link-loop":
      return makeIssue("link-loop", where);
    case "link-broken":
      return makeIssue("file-unreadable", where, {
        detail: `it is a symbolic link to \`${refusal.target}\`, which does not exist`,
      });
    case "too-large":
      return makeIssue("file-too-large", where, {
        value: formatSize(refusal.size),
        expected: formatSize(refusal.limit),
        other: sizeAbove(refusal.size),
        ...(refusal.grew ? { detail: "grew" } : {}),
      });
    case "stalled":
      return makeIssue("read-stalled", where, { count: refusal.seconds });
  }
}

/** The issue for anything a partner file's reading threw: a refusal, a permission, or what the system said. */
export function issueForReadError(e: unknown, where: IssueLocation): Issue {
  if (e instanceof RefusedFileError) return issueForRefusal(e.refusal, where);
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === "EACCES" || code === "EPERM") return makeIssue("permission-denied", where, { detail: "file" });
  const detail = e instanceof Error ? e.message.replace(/^[A-Z]+: /, "") : String(e);
  return makeIssue("file-unreadable", where, { detail });
}

function relativeTo(root: string | undefined, p: string): string {
  return root === undefined ? p : path.relative(root, p).split(path.sep).join("/") || ".";
}
