import path from "node:path";
import type { Effects } from "../effects.ts";
import { OutputFolderError, outputFault } from "./output-errors.ts";
import { EARLIER_WORK, MANIFEST, MARKER } from "./output-layout.ts";
import { LOCK_FILE } from "./output-lock.ts";

/** What `--out` names, once checked: a folder to make, an empty one, c2c's own, or an earlier c2c's. */
export type OutFolderState = "new" | "empty" | "c2c" | "earlier-c2c";

export interface CheckedOutFolder {
  /** As the user named it, made absolute. */
  dir: string;
  state: OutFolderState;
}

/** `OUT/.c2c/made-by-c2c`: written when c2c makes or first takes an output folder. */
export const MARKER_TEXT = `c2c made this folder for the outputs of \`c2c build\`, and writes in it again at every build.
c2c writes and removes only site, private, .c2c and .c2c-lock here; anything else is left as it is.
Publish site/ only. Never publish private/: it holds partner reports and input checksums.
`;

/** What an operating system or a file manager puts in a folder the user made: it is still empty. */
const LITTER = new Set([".DS_Store", "Thumbs.db", "desktop.ini", ".localized"]);

/**
 * Checks `--out` before anything is read or written: refuses `/`, the home folder, the project
 * folder, a folder that holds the project, anything in its `data/`, a file, and a folder c2c did
 * not make that is not empty (c2c never writes among someone else's files). Takes a folder with
 * c2c's mark, one whose `private/build.json` is c2c's, or an earlier c2c's (its `build.json`, or
 * its work folders). Links in the path are resolved first, so a link to home is home.
 * Throws OutputFolderError; writes nothing.
 */
export async function checkOutFolder(outDir: string, projectDir: string, effects: Effects): Promise<CheckedOutFolder> {
  const dir = path.resolve(outDir);
  const real = await effects.realPath(dir);
  const project = await effects.realPath(projectDir);
  const data = await effects.realPath(path.join(projectDir, "data"));
  const home = await effects.realPath(effects.home);
  // The default folder, unless that is the one refused.
  const byDefault = path.join(path.resolve(projectDir), "out");
  const suggestion = byDefault === dir ? path.join(path.resolve(projectDir), "c2c-out") : byDefault;
  const refuse = (code: ConstructorParameters<typeof OutputFolderError>[0], detail?: string) =>
    new OutputFolderError(code, { path: outDir, suggestion, ...(detail !== undefined ? { detail } : {}) });
  const inside = (child: string, parent: string) => child === parent || child.startsWith(withSep(parent));

  if (path.parse(real).root === real) throw refuse("out-is-root");
  if (real === home) throw refuse("out-is-home", real === dir ? undefined : `${dir} leads to ${real}`);
  if (inside(home, real)) throw refuse("out-holds-home", home);
  if (real === project) throw refuse("out-is-project");
  if (inside(project, real)) throw refuse("out-holds-project", project);
  if (inside(real, data) || inside(dir, path.resolve(projectDir, "data"))) throw refuse("out-in-data");

  const kind = await effects.entryKind(real).catch((e: unknown) => {
    throw outputFault(e, outDir) ?? e;
  });
  if (kind === null) return { dir, state: "new" };
  if (kind === "file") throw refuse("out-is-file");
  if (kind === "link") throw refuse("out-is-file", "a symbolic link to nothing that exists");
  if (kind !== "folder") throw refuse("out-is-file", "a device, socket or pipe");
  const names = await effects.listFolder(real).catch((e: unknown) => {
    throw outputFault(e, outDir) ?? e;
  });
  if (names.includes(".c2c") && (await effects.exists(path.join(real, MARKER)))) return { dir, state: "c2c" };
  if (await isC2cManifest(path.join(real, MANIFEST), effects)) return { dir, state: "c2c" };
  const earlier: string[] = [LOCK_FILE, ...EARLIER_WORK];
  if ((await isC2cManifest(path.join(real, "build.json"), effects)) || names.some((n) => earlier.includes(n)))
    return { dir, state: "earlier-c2c" };
  const foreign = names.filter((n) => !LITTER.has(n));
  if (foreign.length === 0) return { dir, state: "empty" };
  const shown = foreign.slice(0, 4).join(", ");
  throw refuse("out-not-c2c", foreign.length > 4 ? `${shown} and ${foreign.length - 4} more` : shown);
}

/**
 * Makes a checked `--out` c2c's: creates it where it is new (one folder at a time, so a path that
 * cannot be made fails with the reason) and writes c2c's mark in it. Throws OutputFolderError.
 */
export async function claimOutFolder(checked: CheckedOutFolder, outDir: string, effects: Effects): Promise<void> {
  try {
    if (checked.state === "new") await effects.makeFolder(checked.dir);
    if (!(await effects.exists(path.join(checked.dir, MARKER))))
      await effects.writeFile(path.join(checked.dir, MARKER), MARKER_TEXT);
  } catch (e) {
    throw outputFault(e, outDir) ?? e;
  }
}

/** Whether `file` is a manifest c2c wrote (`c2c.version`, `configHash`, `inputs`): how an earlier c2c's folder is known. */
async function isC2cManifest(file: string, effects: Effects): Promise<boolean> {
  try {
    const m = JSON.parse(new TextDecoder().decode(await effects.readFile(file))) as {
      c2c?: { version?: unknown };
      configHash?: unknown;
      inputs?: unknown;
    };
    return typeof m.c2c?.version === "string" && typeof m.configHash === "string" && Array.isArray(m.inputs);
  } catch {
    return false;
  }
}

function withSep(dir: string): string {
  return dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`;
}
