import { createReadStream } from "node:fs";
import {
  access,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { homedir, hostname } from "node:os";
import path from "node:path";
import type { Effects, EntryKind, Logger } from "./effects.ts";

/** Effects backed by the real file system. Partner files are only ever opened for reading. */
export function nodeEffects(log: Logger): Effects {
  return {
    readFile: async (p) => new Uint8Array(await readFile(p)),
    readStream: (p, range) =>
      range === undefined
        ? createReadStream(p, { flags: "r", highWaterMark: 1 << 20 })
        : range.end <= range.start
          ? (async function* () {})()
          : createReadStream(p, { flags: "r", highWaterMark: 1 << 20, start: range.start, end: range.end - 1 }),
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
      await makeFolders(path.dirname(p));
      await writeFile(p, data);
    },
    remove: (p) => rm(p, { recursive: true, force: true }),
    rename: async (from, to) => {
      await makeFolders(path.dirname(to));
      await rename(from, to);
    },
    createExclusive: async (p, data) => {
      await makeFolders(path.dirname(p));
      try {
        await writeFile(p, data, { flag: "wx" });
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw e;
      }
    },
    entryKind: async (p) => {
      const st = await lstat(p).catch((e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT" || e.code === "ENOTDIR") return null;
        throw e;
      });
      if (st === null) return null;
      const kind: EntryKind = st.isSymbolicLink()
        ? "link"
        : st.isDirectory()
          ? "folder"
          : st.isFile()
            ? "file"
            : "other";
      return kind;
    },
    listFolder: async (p) => (await readdir(p)).sort(byCodePoint),
    makeFolder: makeFolders,
    symlink: async (target, p) => {
      if (process.platform === "win32")
        throw Object.assign(new Error(`c2c does not make symbolic links on Windows: ${p}`), { code: "ENOTSUP" });
      await symlink(target, p);
    },
    readLink: async (p) =>
      readlink(p).catch((e: NodeJS.ErrnoException) => {
        if (e.code === "EINVAL" || e.code === "ENOENT" || e.code === "ENOTDIR") return null;
        throw e;
      }),
    realPath: async (p) => {
      const rest: string[] = [];
      let at = path.resolve(p);
      for (;;) {
        try {
          return path.join(await realpath(at), ...rest.reverse());
        } catch (e) {
          const parent = path.dirname(at);
          if (parent === at || (e as NodeJS.ErrnoException).code !== "ENOENT") return path.resolve(p);
          rest.push(path.basename(at));
          at = parent;
        }
      }
    },
    home: homedir(),
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

/**
 * `mkdir -p`, one folder at a time from the nearest existing parent: Node's own recursive mkdir
 * tries again forever where the system says ENOENT for a folder it cannot hold (/proc/x/y).
 */
async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    const st = await stat(at).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return null;
      throw e;
    });
    if (st !== null) {
      if (st.isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: "ENOTDIR", path: at });
    }
    const parent = path.dirname(at);
    if (parent === at) break;
    missing.push(at);
    at = parent;
  }
  for (const folder of missing.reverse())
    await mkdir(folder).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "EEXIST") throw e;
    });
}

/** Code-point order, the same under every locale. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
