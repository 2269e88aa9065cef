import type { Dirent, Stats } from "node:fs";
import { lstat, readdir, readlink, realpath } from "node:fs/promises";
import path from "node:path";
import type { EntryType, FolderEntry, PathKind, SpecialType } from "./path-kind.ts";

/** The type of what `lstat` or `fstat` saw. */
export function typeOfStats(st: Stats | Dirent): EntryType {
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "folder";
  if (st.isSymbolicLink()) return "link";
  if (st.isFIFO()) return "fifo";
  if (st.isSocket()) return "socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "device";
  return "other";
}

/** Whether `p` is `root` or below it (both absolute, links already resolved). */
export function isInside(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The real path of a folder reads are confined to (itself reached through a link, perhaps). */
export async function realFolder(dir: string): Promise<string> {
  return realpath(dir).catch(() => path.resolve(dir));
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/**
 * What is at `p`, without opening it: a link is followed to say where it leads, and, with
 * `within`, whether that stays inside `within` (a link that leaves is described, not followed).
 * Never throws for what it finds; throws only what the file system does unexpectedly.
 */
export async function inspectPath(p: string, within?: string): Promise<PathKind> {
  const abs = path.resolve(p);
  let own: Stats;
  try {
    own = await lstat(abs);
  } catch (e) {
    const code = errno(e);
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    if (code === "EACCES" || code === "EPERM") return { kind: "denied" };
    if (code === "ELOOP") return { kind: "link-loop" };
    throw e;
  }
  const link = own.isSymbolicLink();
  let real: string;
  try {
    real = await realpath(abs);
  } catch (e) {
    const code = errno(e);
    if (code === "ELOOP") return { kind: "link-loop" };
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "link-broken", target: await targetOf(abs, abs) };
    if (code === "EACCES" || code === "EPERM") return { kind: "denied" };
    throw e;
  }
  if (within !== undefined && !isInside(real, await realFolder(within)))
    return { kind: "link-outside", target: link ? await targetOf(abs, real) : real };
  const st = link ? await lstat(real).catch(() => null) : own;
  if (st === null) return { kind: "missing" };
  const type = typeOfStats(st);
  if (type === "file") return { kind: "file", real, size: st.size, link };
  if (type === "folder") return { kind: "folder", real, link };
  return { kind: "special", type: type === "link" ? "other" : type, link };
}

/** Where a link points, as written in it. */
async function targetOf(link: string, otherwise: string): Promise<string> {
  return readlink(link).catch(() => otherwise);
}

/**
 * Every entry below `dir`, each described as `inspectPath` would (links followed only to say
 * where they lead, never into a folder), sorted by code point. A folder below `dir` that cannot be
 * listed (no permission) is an entry `unlisted`; `dir` itself that cannot be listed throws.
 */
export async function listFolder(dir: string, within?: string): Promise<FolderEntry[]> {
  const out: FolderEntry[] = [];
  const walk = async (abs: string, rel: string, entries: Dirent[]): Promise<void> => {
    for (const d of entries) {
      const childAbs = path.join(abs, d.name);
      const childRel = rel === "" ? d.name : `${rel}/${d.name}`;
      const type = typeOfStats(d);
      if (type === "folder") {
        let inner: Dirent[];
        try {
          inner = await readdir(childAbs, { withFileTypes: true });
        } catch (e) {
          const code = errno(e);
          if (code !== "EACCES" && code !== "EPERM") throw e;
          out.push({ path: `${childRel}/`, what: { kind: "unlisted" } });
          continue;
        }
        out.push({ path: `${childRel}/`, what: { kind: "folder", real: childAbs, link: false } });
        await walk(childAbs, childRel, inner);
      } else if (type === "file") {
        const size = await lstat(childAbs).then(
          (s) => s.size,
          () => 0,
        );
        out.push({ path: childRel, what: { kind: "file", real: childAbs, size, link: false } });
      } else if (type === "link") {
        const what = await inspectPath(childAbs, within);
        out.push({ path: what.kind === "folder" ? `${childRel}/` : childRel, what });
      } else {
        out.push({ path: childRel, what: { kind: "special", type: type as SpecialType, link: false } });
      }
    }
  };
  await walk(path.resolve(dir), "", await readdir(path.resolve(dir), { withFileTypes: true }));
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
