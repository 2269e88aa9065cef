import type { Effects } from "../effects.ts";

/**
 * The output folder, OUT, as c2c lays it out:
 *
 *   OUT/site -> .c2c/current/site          public: the site, and the only thing to publish
 *   OUT/private -> .c2c/current/private    never published: partner reports, build.json, --explain
 *   OUT/.c2c/current -> builds/N           the build both show; one rename switches both at once
 *   OUT/.c2c/builds/N/{site,private}/      the current build, and the one before it (for rollback)
 *   OUT/.c2c/made-by-c2c                   the mark that c2c made OUT and may write in it
 *   OUT/.c2c-lock                          while a build runs
 *
 * Where the file system has no symbolic links (Windows, FAT and exFAT drives, some network shares),
 * `site` and `private` are real folders instead, each replaced by two renames (see publish-build.ts).
 * c2c writes and removes only these names (and an earlier c2c's, `OLD_NAMES`); nothing else in OUT.
 */
export const SITE = "site";
export const PRIVATE = "private";
/** c2c's own state inside OUT. Inside OUT, so every rename stays on one file system. */
export const STATE = ".c2c";
export const MARKER = `${STATE}/made-by-c2c`;
export const BUILDS = `${STATE}/builds`;
export const CURRENT = `${STATE}/current`;
/** Where a build is written; once complete it is renamed to `builds/N` (or `ready`). */
export const STAGING = `${STATE}/staging`;
/** Real folders only: the complete new build while it is swapped in, and the old one on its way out. */
export const READY = `${STATE}/ready`;
export const RETIRED = `${STATE}/retired`;
/** An earlier c2c's outputs (or real folders where the links now go), kept until the next build. */
export const REPLACED = `${STATE}/replaced`;
/** A link is made here first, then renamed into place: `.c2c/current.next`, `.c2c/site.next`. */
export const nextLink = (name: string) => `${STATE}/${name.replace(/^\.c2c\//, "")}.next`;
/** Where a link-probe is made to learn whether this file system has links. */
export const LINK_PROBE = `${STATE}/link-probe`;
/** What an earlier c2c wrote directly in OUT: its manifest, its reports and its --explain tables (`site` too). */
export const EARLIER_OUTPUTS = ["build.json", "partners", "explain"] as const;
/** An earlier c2c's work folders, left where a build of it was stopped. */
export const EARLIER_WORK = [".c2c-staging", ".c2c-ready", ".c2c-retired"] as const;
/** The private manifest, inside a build's private folder. */
export const MANIFEST = `${PRIVATE}/build.json`;
/** The public manifest, inside the site: output hashes for `c2c verify` on a copy of the site. */
export const PUBLIC_MANIFEST = "c2c-manifest.json";

const join = (outDir: string, rel: string) => `${outDir}/${rel}`;

/** The number of the build `.c2c/current` points to, or null (no build yet, or real folders). */
export async function currentBuild(outDir: string, effects: Effects): Promise<number | null> {
  const target = await effects.readLink(join(outDir, CURRENT));
  const m = target === null ? null : /^builds\/(\d+)$/.exec(target);
  return m ? Number(m[1]) : null;
}

/** The numbers of the builds kept in `.c2c/builds/`, ascending. */
export async function keptBuilds(outDir: string, effects: Effects): Promise<number[]> {
  if ((await effects.entryKind(join(outDir, BUILDS))) !== "folder") return [];
  return (await effects.listFolder(join(outDir, BUILDS)))
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}

/** The build kept for rollback: the newest one older than `current`. */
export function previousBuild(builds: readonly number[], current: number | null): number | null {
  const older = builds.filter((n) => current !== null && n < current);
  return older.at(-1) ?? null;
}

/** Whether OUT still holds an earlier c2c's outputs (or real folders where links go) to move aside. */
export async function holdsOldOutputs(outDir: string, effects: Effects): Promise<boolean> {
  for (const name of EARLIER_OUTPUTS) if ((await effects.entryKind(join(outDir, name))) !== null) return true;
  return false;
}

/**
 * What a build that was stopped (killed, or a full disk) left in OUT: work folders, links not yet
 * renamed into place, builds written but never switched to. None of it is ever published; the
 * next build removes it. Paths relative to OUT.
 */
export async function interruptedOutputs(outDir: string, effects: Effects): Promise<string[]> {
  const found: string[] = [];
  const candidates = [
    STAGING,
    READY,
    RETIRED,
    LINK_PROBE,
    nextLink(CURRENT),
    nextLink(SITE),
    nextLink(PRIVATE),
    ...EARLIER_WORK,
  ];
  for (const rel of candidates) if ((await effects.entryKind(join(outDir, rel))) !== null) found.push(rel);
  const current = await currentBuild(outDir, effects);
  const builds = await keptBuilds(outDir, effects);
  const previous = previousBuild(builds, current);
  for (const n of builds)
    if (n !== current && n !== previous && (current === null || n > current)) found.push(`${BUILDS}/${n}`);
  return found;
}

/**
 * Puts OUT right after a build that was stopped: removes what `interruptedOutputs` finds (a
 * complete `.c2c/ready` of real folders is swapped in instead, by `finishReady`), builds older
 * than the one kept for rollback, and an earlier c2c's outputs once nothing of them is left in
 * OUT. Returns what it did, for the log.
 */
export async function recoverOutputs(
  outDir: string,
  effects: Effects,
  finishReady: (outDir: string, effects: Effects) => Promise<void>,
): Promise<string[]> {
  const notes: string[] = [];
  if ((await effects.entryKind(join(outDir, READY))) !== null) {
    await finishReady(outDir, effects);
    notes.push(`finished swapping in the outputs of an interrupted build (${join(outDir, READY)})`);
  }
  for (const rel of await interruptedOutputs(outDir, effects)) {
    await effects.remove(join(outDir, rel));
    notes.push(`removed ${join(outDir, rel)}, left by an interrupted build`);
  }
  const current = await currentBuild(outDir, effects);
  const builds = await keptBuilds(outDir, effects);
  const previous = previousBuild(builds, current);
  // Older builds a stopped build had not yet removed: not worth a note.
  for (const n of builds) if (n !== current && n !== previous) await effects.remove(join(outDir, `${BUILDS}/${n}`));
  if (!(await holdsOldOutputs(outDir, effects)) && (await effects.entryKind(join(outDir, SITE))) !== "folder")
    await effects.remove(join(outDir, REPLACED));
  for (const note of notes) effects.log.info(`c2c: ${note}.`);
  return notes;
}
