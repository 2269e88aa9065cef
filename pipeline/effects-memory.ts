import { access, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Effects, EntryKind } from "./effects.ts";
import { memoryLogger } from "./effects.ts";

export interface MemoryEffects extends Effects {
  /** Every file, by its path with links resolved. */
  files: Map<string, Uint8Array>;
  /** Symbolic links (with `links: true`), by their own path: the target each holds. */
  links: Map<string, string>;
  log: ReturnType<typeof memoryLogger>;
}

/**
 * Effects over an in-memory file tree, so a whole build runs without touching the disk.
 * Reads, listings and existence checks of paths not in memory fall through to the disk (c2c's own
 * templates, catalog and scripts) when `readDisk` is set; writes never reach the disk. Folders
 * exist where a file is below them or `makeFolder` made them. Symbolic links only with `links`
 * (otherwise `symlink` fails as on a file system without them, and a build publishes real folders).
 */
export function memoryEffects(
  initial: Record<string, string | Uint8Array> = {},
  options: {
    readDisk?: boolean;
    modified?: Record<string, number>;
    /** Processes taken as running, for the build lock (default: only this one, pid 1). */
    running?: readonly number[];
    /** Whether symbolic links can be made (default: no, as on Windows). */
    links?: boolean;
    /** The home folder (default `/home/user`). */
    home?: string;
  } = {},
): MemoryEffects {
  const files = new Map<string, Uint8Array>();
  const folders = new Set<string>();
  const links = new Map<string, string>();
  const norm = (p: string) => path.posix.normalize(p.split(path.sep).join("/")).replace(/(.)\/$/, "$1");
  const encode = (d: string | Uint8Array) => (typeof d === "string" ? new TextEncoder().encode(d) : d);
  for (const [p, d] of Object.entries(initial)) files.set(norm(p), encode(d));

  /** `p` with every link in it resolved; with `last` false, a link at its end is left as it is (lstat, rename, remove). */
  const resolve = (p: string, last = true): string => {
    let input = norm(p);
    for (let hops = 0; hops < 40; hops++) {
      const absolute = input.startsWith("/");
      const segments = input.split("/").filter((s) => s !== "");
      let at = absolute ? "" : ".";
      let next: string | null = null;
      for (const [i, segment] of segments.entries()) {
        at = at === "." ? segment : `${at}/${segment}`;
        if (i === segments.length - 1 && !last) break;
        const target = links.get(at);
        if (target === undefined) continue;
        const base = path.posix.dirname(at);
        const to = target.startsWith("/") ? target : path.posix.join(base, target);
        next = norm(path.posix.join(to, ...segments.slice(i + 1)));
        break;
      }
      if (next === null) return input;
      input = next;
    }
    throw Object.assign(new Error(`ELOOP: too many symbolic links, '${p}'`), { code: "ELOOP" });
  };
  const under = (dir: string) => {
    const prefix = `${dir.replace(/\/$/, "")}/`;
    return [...files.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  };
  const isFolder = (p: string) =>
    folders.has(p) ||
    under(p).length > 0 ||
    [...folders, ...links.keys()].some((k) => k.startsWith(`${p}/`)) ||
    p === "/" ||
    p === ".";
  const kindOf = (p: string): EntryKind | null =>
    links.has(p) ? "link" : files.has(p) ? "file" : isFolder(p) ? "folder" : null;
  const read = async (p: string): Promise<Uint8Array> => {
    const hit = files.get(resolve(p));
    if (hit) return hit;
    if (options.readDisk) return new Uint8Array(await readFile(p));
    throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), { code: "ENOENT" });
  };
  const failing = (code: string, what: string, p: string) =>
    Object.assign(new Error(`${code}: ${what}, '${p}'`), { code, path: p });
  /** Every key of the three stores at or below `p`, to move or remove a tree. */
  const moveTree = (from: string, to: string | null) => {
    for (const store of [files, links] as Map<string, unknown>[])
      for (const [k, v] of [...store.entries()])
        if (k === from || k.startsWith(`${from}/`)) {
          store.delete(k);
          if (to !== null) store.set(to + k.slice(from.length), v);
        }
    for (const k of [...folders])
      if (k === from || k.startsWith(`${from}/`)) {
        folders.delete(k);
        if (to !== null) folders.add(to + k.slice(from.length));
      }
  };

  return {
    files,
    links,
    log: memoryLogger(),
    readFile: read,
    async *readStream(p, range) {
      const whole = await read(p);
      const bytes = range === undefined ? whole : whole.subarray(range.start, Math.max(range.start, range.end));
      const chunk = 64 * 1024;
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    },
    listFiles: async (dir) => {
      const inMemory = under(resolve(dir));
      if (inMemory.length > 0 || !options.readDisk) return inMemory.sort();
      return diskFiles(dir);
    },
    exists: async (p) => {
      const r = resolve(p);
      return files.has(r) || isFolder(r) || (options.readDisk === true && (await onDisk(p)));
    },
    stat: async (p) => ({ size: (await read(p)).length, modifiedMs: options.modified?.[norm(p)] ?? 0 }),
    writeFile: async (p, d) => {
      const r = resolve(p);
      if (isFolder(r)) throw failing("EISDIR", "illegal operation on a directory", p);
      files.set(r, encode(d));
    },
    remove: async (p) => moveTree(resolve(p, false), null),
    createExclusive: async (p, d) => {
      const r = resolve(p);
      if (kindOf(r) !== null) return false;
      files.set(r, encode(d));
      return true;
    },
    entryKind: async (p) => kindOf(resolve(p, false)),
    listFolder: async (p) => {
      const r = resolve(p);
      if (kindOf(r) !== "folder") throw failing("ENOTDIR", "not a directory", p);
      const prefix = r === "/" ? "/" : `${r}/`;
      const names = new Set<string>();
      for (const k of [...files.keys(), ...folders, ...links.keys()])
        if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split("/")[0] as string);
      return [...names].filter((n) => n !== "").sort();
    },
    makeFolder: async (p) => {
      const r = resolve(p);
      if (files.has(r)) throw failing("ENOTDIR", "not a directory", p);
      folders.add(r);
    },
    symlink: async (target, p) => {
      if (!options.links) throw failing("ENOTSUP", "symbolic links are not supported here", p);
      const r = resolve(p, false);
      if (kindOf(r) !== null) throw failing("EEXIST", "file already exists", p);
      links.set(r, target);
    },
    readLink: async (p) => links.get(resolve(p, false)) ?? null,
    realPath: async (p) => resolve(p),
    home: options.home ?? "/home/user",
    processes: {
      pid: 1,
      host: "memory",
      now: () => 0,
      isRunning: (pid) => (options.running ?? [1]).includes(pid),
    },
    rename: async (from, to) => {
      const f = resolve(from, false);
      const t = resolve(to, false);
      if (kindOf(f) === null) throw failing("ENOENT", "no such file or directory", from);
      if (f === t) return;
      const there = kindOf(t);
      // As rename(2): a folder may replace only an empty folder, and a link or file never a folder.
      if (there === "folder" && (kindOf(f) !== "folder" || under(t).length > 0 || isNonEmpty(t)))
        throw failing(kindOf(f) === "folder" ? "ENOTEMPTY" : "EISDIR", "cannot replace a folder", to);
      if (there !== null) moveTree(t, null);
      moveTree(f, t);
    },
  };

  function isNonEmpty(p: string): boolean {
    return [...folders, ...links.keys()].some((k) => k.startsWith(`${p}/`));
  }
}

async function diskFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
      .sort();
  } catch {
    return [];
  }
}

async function onDisk(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
