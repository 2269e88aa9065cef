import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { StartedThreads } from "../parallel/started-threads.ts";
import { wantsThreads, workerCount } from "../parallel/worker-pool.ts";

/**
 * For `c2c build` on large partner files: starts the worker threads that will read them before
 * the CLI loads the rest of c2c, so they load c2c and the project on the second core meanwhile.
 * Loads nothing of the pipeline itself. Returns the threads, for the build to take; null where
 * it started none, as for anything it cannot make out of the arguments (the build command will say
 * what is wrong), and the build starts its threads itself then.
 */
export function startBuildThreads(argv: readonly string[], c2cRoot: string): StartedThreads | null {
  if (argv[0] !== "build") return null;
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv.slice(1),
      options: {
        project: { type: "string" },
        threads: { type: "string" },
        engine: { type: "string" },
        only: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
      strict: false,
      allowPositionals: true,
    }));
  } catch {
    return null;
  }
  if (values.help === true) return null;
  const threads = typeof values.threads === "string" ? Number(values.threads) : workerCount(4);
  if (!Number.isInteger(threads) || threads > 64) return null;
  const engine = typeof values.engine === "string" ? values.engine : undefined;
  const root = path.resolve(typeof values.project === "string" ? values.project : ".");
  if (!wantsThreads(threads, engine, bytesUnder(path.join(root, "data")))) return null;
  const only = Array.isArray(values.only) ? values.only.map(String) : [];
  return new StartedThreads({ root, c2cRoot: path.resolve(c2cRoot), only }, threads);
}

/** The bytes of the files below `dir`; 0 when it cannot be read. */
function bytesUnder(dir: string): number {
  let bytes = 0;
  try {
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isDirectory()) continue;
      // A link is followed, as the build reads through it.
      const s = statSync(path.join(e.parentPath, e.name), { throwIfNoEntry: false });
      if (s?.isFile()) bytes += s.size;
    }
  } catch {
    return 0;
  }
  return bytes;
}
