import { type FSWatcher, watch } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

/** A running watch; `close` stops it. */
export interface ProjectWatch {
  close(): void;
}

/**
 * Watches a project folder for every way its files change: written in place, saved by rename-over
 * (`sed -i`, most editors and spreadsheet programs), deleted and re-created, moved in or out, and
 * folders added (a new year, a new partner). `onChange` is told the path that changed, relative
 * to `root`; `ignore` leaves out paths (the output folder).
 *
 * Each folder is watched on its own, not the tree at once: on Linux, Node's recursive watch
 * follows each file's inode, so it loses a file saved by rename-over (the name now names another
 * inode) or deleted and re-created, while a folder's own watch sees whatever happens to the names
 * in it. A new folder is watched as it appears, and one replaced by another of the same name is
 * watched again.
 */
export function watchProject(
  root: string,
  options: { ignore(rel: string): boolean; onChange(rel: string): void },
): ProjectWatch {
  const watchers = new Map<string, { watcher: FSWatcher; ino: number }>();
  let closed = false;
  let syncing = false;
  let again = false;

  const unwatch = (rel: string) => {
    watchers.get(rel)?.watcher.close();
    watchers.delete(rel);
  };
  const add = (rel: string, ino: number) => {
    try {
      const watcher = watch(path.join(root, rel), (event, name) => {
        const child = name === null ? rel : rel === "" ? name.toString() : `${rel}/${name.toString()}`;
        if (options.ignore(child)) return;
        options.onChange(child);
        // A name came or went: it may be a folder to watch, or one to stop watching.
        if (event === "rename") sync();
      });
      // A folder that vanished under its watch: the next look at the tree settles it.
      watcher.on("error", () => {
        unwatch(rel);
        sync();
      });
      watchers.set(rel, { watcher, ino });
    } catch {
      // Gone already, or not readable: nothing in it to watch.
    }
  };
  /** Makes the watched folders the tree's folders; a folder new since the start is a change itself. */
  const sync = (initial = false) => {
    if (syncing) {
      again = true;
      return;
    }
    syncing = true;
    void (async () => {
      do {
        again = false;
        const folders = await foldersBelow(root, options.ignore);
        if (closed) break;
        for (const rel of [...watchers.keys()]) if (folders.get(rel) !== watchers.get(rel)?.ino) unwatch(rel);
        for (const [rel, ino] of folders) {
          if (watchers.has(rel)) continue;
          add(rel, ino);
          // Files may have landed in it before its watch began.
          if (!initial) options.onChange(rel);
        }
      } while (again && !closed);
      syncing = false;
    })();
  };
  sync(true);
  return {
    close() {
      closed = true;
      for (const rel of [...watchers.keys()]) unwatch(rel);
    },
  };
}

/** Every folder below `root` (and `root` itself, as ""), with its inode, that `ignore` keeps; links are not followed. */
async function foldersBelow(root: string, ignore: (rel: string) => boolean): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const visit = async (rel: string): Promise<void> => {
    const abs = path.join(root, rel);
    try {
      found.set(rel, (await stat(abs)).ino);
      for (const e of await readdir(abs, { withFileTypes: true })) {
        const child = rel === "" ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory() && !ignore(child)) await visit(child);
      }
    } catch {
      // Gone, or not readable: not watched.
    }
  };
  await visit("");
  return found;
}
