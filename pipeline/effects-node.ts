import { createReadStream } from "node:fs";
import { access, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Effects, Logger } from "./effects.ts";

/** Effects backed by the real file system. Partner files are only ever opened for reading. */
export function nodeEffects(log: Logger): Effects {
  return {
    readFile: async (p) => new Uint8Array(await readFile(p)),
    readStream: (p) => createReadStream(p, { flags: "r", highWaterMark: 1 << 20 }),
    listFiles: async (dir) => {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => !e.isDirectory())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
        .sort();
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
    log,
  };
}
