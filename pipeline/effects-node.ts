import { access, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import type { Effects, Logger } from "./effects.ts";
import { inspectPath, listFolder } from "./files/inspect-path.ts";
import { readFileChunks, readWholeFile } from "./files/open-file.ts";
import { DEFAULT_READ_LIMITS, type ReadLimits, WHOLE_FILE_MAX_BYTES } from "./files/read-limits.ts";

/**
 * Effects backed by the real file system. Partner files are only ever opened for reading, and
 * only regular files are opened at all (`pipeline/files/`), each read within `limits`.
 */
export function nodeEffects(log: Logger, limits: ReadLimits = DEFAULT_READ_LIMITS): Effects {
  const stuck = new Map<Promise<unknown>, string>();
  const onStall = (p: string, read: Promise<unknown>) => {
    stuck.set(read, p);
    read.finally(() => stuck.delete(read));
  };
  return {
    readLimits: limits,
    stuckReads: () => [...new Set(stuck.values())],
    readFile: (p, options) => readWholeFile(p, options?.within, { ...limits, maxBytes: WHOLE_FILE_MAX_BYTES }, onStall),
    readStream: (p, range, options) => readFileChunks(p, options?.within, limits, range, onStall),
    inspect: (p, options) => inspectPath(p, options?.within),
    listEntries: (dir, options) => listFolder(dir, options?.within),
    listFiles: async (dir, options) => {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true });
      const rel = (e: (typeof entries)[number]) =>
        path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/");
      return entries
        .filter((e) => options?.folders === true || !e.isDirectory())
        .map((e) => (e.isDirectory() ? `${rel(e)}/` : rel(e)))
        .sort(byCodePoint);
    },
    exists: async (p) =>
      access(p).then(
        () => true,
        () => false,
      ),
    stat: async (p) => {
      const st = await stat(p);
      return { size: st.size, modifiedMs: st.mtimeMs };
    },
    writeFile: async (p, data) => {
      await mkdir(path.dirname(p), { recursive: true });
      await writeFile(p, data);
    },
    remove: (p) => rm(p, { recursive: true, force: true }),
    rename: async (from, to) => {
      await mkdir(path.dirname(to), { recursive: true });
      await rename(from, to);
    },
    createExclusive: async (p, data) => {
      await mkdir(path.dirname(p), { recursive: true });
      try {
        await writeFile(p, data, { flag: "wx" });
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw e;
      }
    },
    processes: {
      pid: process.pid,
      host: hostname(),
      now: () => Date.now(),
      isRunning: (pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch (e) {
          // EPERM: it runs, as another user.
          return (e as NodeJS.ErrnoException).code === "EPERM";
        }
      },
    },
    log,
  };
}

/** Code-point order, the same under every locale. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
