import { access, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Effects } from "./effects.ts";
import { memoryLogger } from "./effects.ts";
import { inspectPath, listFolder } from "./files/inspect-path.ts";
import type { FolderEntry } from "./files/path-kind.ts";
import { DEFAULT_READ_LIMITS } from "./files/read-limits.ts";

export interface MemoryEffects extends Effects {
  files: Map<string, Uint8Array>;
  log: ReturnType<typeof memoryLogger>;
}

/**
 * Effects over an in-memory file tree, so a whole build runs without touching the disk.
 * Reads, listings and existence checks of paths not in memory fall through to the disk (c2c's own
 * templates, catalog and scripts) when `readDisk` is set; writes never reach the disk.
 */
export function memoryEffects(
  initial: Record<string, string | Uint8Array> = {},
  options: {
    readDisk?: boolean;
    modified?: Record<string, number>;
    /** Processes taken as running, for the build lock (default: only this one, pid 1). */
    running?: readonly number[];
  } = {},
): MemoryEffects {
  const files = new Map<string, Uint8Array>();
  const norm = (p: string) => path.posix.normalize(p.split(path.sep).join("/"));
  const encode = (d: string | Uint8Array) => (typeof d === "string" ? new TextEncoder().encode(d) : d);
  for (const [p, d] of Object.entries(initial)) files.set(norm(p), encode(d));

  const read = async (p: string): Promise<Uint8Array> => {
    const hit = files.get(norm(p));
    if (hit) return hit;
    if (options.readDisk) return new Uint8Array(await readFile(p));
    throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), { code: "ENOENT" });
  };
  const under = (dir: string) => {
    const prefix = `${norm(dir).replace(/\/$/, "")}/`;
    return [...files.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  };

  return {
    files,
    log: memoryLogger(),
    readLimits: DEFAULT_READ_LIMITS,
    stuckReads: () => [],
    readFile: read,
    inspect: async (p) => {
      const n = norm(p);
      const hit = files.get(n);
      if (hit) return { kind: "file", real: n, size: hit.length, link: false };
      if (under(p).length > 0) return { kind: "folder", real: n, link: false };
      return options.readDisk ? inspectPath(p) : { kind: "missing" };
    },
    listEntries: async (dir) => {
      const inMemory = under(dir);
      if (inMemory.length === 0 && options.readDisk) return listFolder(dir).catch(() => []);
      const folders = new Set<string>();
      const entries: FolderEntry[] = [];
      for (const rel of inMemory) {
        const parts = rel.split("/");
        for (let i = 1; i < parts.length; i++) folders.add(`${parts.slice(0, i).join("/")}/`);
        const real = `${norm(dir).replace(/\/$/, "")}/${rel}`;
        entries.push({ path: rel, what: { kind: "file", real, size: files.get(real)?.length ?? 0, link: false } });
      }
      for (const f of folders)
        entries.push({ path: f, what: { kind: "folder", real: `${norm(dir).replace(/\/$/, "")}/${f}`, link: false } });
      return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
    async *readStream(p, range) {
      const whole = await read(p);
      const bytes = range === undefined ? whole : whole.subarray(range.start, Math.max(range.start, range.end));
      const chunk = 64 * 1024;
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    },
    listFiles: async (dir) => {
      const inMemory = under(dir);
      if (inMemory.length > 0 || !options.readDisk) return inMemory.sort();
      return diskFiles(dir);
    },
    exists: async (p) => files.has(norm(p)) || under(p).length > 0 || (options.readDisk === true && (await onDisk(p))),
    stat: async (p) => ({ size: (await read(p)).length, modifiedMs: options.modified?.[norm(p)] ?? 0 }),
    writeFile: async (p, d) => {
      files.set(norm(p), encode(d));
    },
    remove: async (p) => {
      const n = norm(p);
      for (const k of [...files.keys()]) if (k === n || k.startsWith(`${n}/`)) files.delete(k);
    },
    createExclusive: async (p, d) => {
      const n = norm(p);
      if (files.has(n) || under(n).length > 0) return false;
      files.set(n, encode(d));
      return true;
    },
    processes: {
      pid: 1,
      host: "memory",
      now: () => 0,
      isRunning: (pid) => (options.running ?? [1]).includes(pid),
    },
    rename: async (from, to) => {
      const f = norm(from);
      const t = norm(to);
      for (const [k, v] of [...files.entries()]) {
        if (k === f || k.startsWith(`${f}/`)) {
          files.delete(k);
          files.set(t + k.slice(f.length), v);
        }
      }
    },
  };
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
