import type { Effects } from "../effects.ts";
import {
  BUILDS,
  CURRENT,
  currentBuild,
  EARLIER_OUTPUTS,
  holdsOldOutputs,
  keptBuilds,
  LINK_PROBE,
  nextLink,
  PRIVATE,
  previousBuild,
  READY,
  REPLACED,
  RETIRED,
  SITE,
  STAGING,
  STATE,
} from "./output-layout.ts";

/**
 * How a complete build in `.c2c/staging` is put in place.
 *
 * With links (the default): the staging folder becomes `.c2c/builds/N`, then one rename of a new
 * `.c2c/current` link over the old one switches `OUT/site` and `OUT/private` (fixed links through
 * `current`) to it at once. rename(2) replaces a link atomically, so at every instant a reader of
 * OUT/site finds the whole old site or the whole new one, never none and never a mix, and the
 * partner reports in OUT/private are always those of the site beside them. A reader that is
 * half-way through copying the old site keeps a whole one: the previous build stays in
 * `.c2c/builds/` until the next build (which is also what a rollback needs).
 *
 * Why `site` was a real folder before, and what a link costs: a tool given the link itself, not
 * what it points to, copies the link (`cp -r out/site DEST`, `rsync -a out/site DEST`, `git add
 * out/site`), and the copy points nowhere. A trailing slash (`rsync -a out/site/ DEST/`), `cp -RL`,
 * or a tool that follows links (tar --dereference, as GitHub Pages' upload-pages-artifact does;
 * zip; aws s3 sync; a web server's document root) copies the site. The README's Publishing section
 * gives those commands. Against that, a real folder cannot be replaced in one step on POSIX: between
 * its two renames there is no site at all, and a host syncing then publishes nothing, or partner
 * reports newer than the site. Atomic publishing is worth the one rule about how to copy.
 *
 * Without links (Windows, where a link cannot be replaced by a rename, and file systems without
 * them): real folders, `private` then `site` each swapped in by two renames, as before; between a
 * folder's two renames (microseconds) it is absent, never partial, and the next build finishes
 * a swap that was stopped.
 */
export type PublishMode = "links" | "folders";

/** Codes a file system answers `symlink` with when it has no links. */
const NO_LINKS = new Set(["ENOTSUP", "EOPNOTSUPP", "EPERM", "ENOSYS", "EINVAL"]);

/** Links where `OUT/site` already is one or the file system can make one; real folders otherwise. */
export async function publishMode(outDir: string, effects: Effects): Promise<PublishMode> {
  if ((await effects.entryKind(`${outDir}/${SITE}`)) === "link") return "links";
  const probe = `${outDir}/${LINK_PROBE}`;
  await effects.remove(probe);
  try {
    await effects.symlink("builds", probe);
  } catch (e) {
    if (NO_LINKS.has((e as NodeJS.ErrnoException).code ?? "")) return "folders";
    throw e;
  }
  await effects.remove(probe);
  return "links";
}

/**
 * Publishes the complete build in `.c2c/staging`. Returns notes for the log (an earlier layout
 * moved aside, real folders used for want of links); throws the system's error if a step fails,
 * after putting back what it can, so OUT keeps the site it had.
 */
export async function publishStaged(outDir: string, effects: Effects): Promise<string[]> {
  const mode = await publishMode(outDir, effects);
  return mode === "links" ? publishWithLinks(outDir, effects) : publishFolders(outDir, effects);
}

async function publishWithLinks(outDir: string, effects: Effects): Promise<string[]> {
  const at = (rel: string) => `${outDir}/${rel}`;
  const n = Math.max(0, ...(await keptBuilds(outDir, effects)), (await currentBuild(outDir, effects)) ?? 0) + 1;
  const build = at(`${BUILDS}/${n}`);
  try {
    await effects.rename(at(STAGING), build);
    await effects.remove(at(nextLink(CURRENT)));
    await effects.symlink(`builds/${n}`, at(nextLink(CURRENT)));
  } catch (e) {
    // Not switched: OUT shows the old build still; what was begun goes.
    await effects.remove(at(STAGING)).catch(() => {});
    await effects.remove(build).catch(() => {});
    await effects.remove(at(nextLink(CURRENT))).catch(() => {});
    throw e;
  }
  // The switch: from here OUT/site and OUT/private are the new build's.
  await effects.rename(at(nextLink(CURRENT)), at(CURRENT));
  const notes: string[] = [];
  const old = await holdsOldOutputs(outDir, effects);
  let replaced = false;
  for (const name of [PRIVATE, SITE]) replaced = (await linkInPlace(outDir, name, effects)) || replaced;
  for (const name of ["build.json", "partners"])
    if ((await effects.entryKind(at(name))) !== null) await effects.rename(at(name), at(`${REPLACED}/${name}`));
  // An earlier c2c's --explain tables: unsuppressed counts, never kept past their build.
  await effects.remove(at("explain"));
  if (old)
    notes.push(
      `moved the outputs of an earlier c2c in ${outDir} to the new layout: the site is ${at(SITE)} (publish it), the partner reports and build.json are in ${at(PRIVATE)}/ (never publish it); the earlier ones are kept in ${at(REPLACED)}/ until the next build`,
    );
  else if (replaced)
    notes.push(
      `${at(SITE)} and ${at(PRIVATE)} are now links to the current build; the folders they were are kept in ${at(REPLACED)}/ until the next build`,
    );
  // Keep this build and the one before it; the previous build's --explain tables go now.
  const builds = await keptBuilds(outDir, effects);
  const previous = previousBuild(builds, n);
  for (const k of builds) if (k !== n && k !== previous) await effects.remove(at(`${BUILDS}/${k}`));
  if (previous !== null) await effects.remove(at(`${BUILDS}/${previous}/${PRIVATE}/explain`));
  return notes;
}

/**
 * Makes `OUT/name` the fixed link `.c2c/current/name`, if it is not already: a new link is made
 * beside it and renamed over it. A real folder there (an earlier c2c's site, or real folders made
 * for want of links) is first moved into `.c2c/replaced/`. True when one was.
 */
async function linkInPlace(outDir: string, name: string, effects: Effects): Promise<boolean> {
  const place = `${outDir}/${name}`;
  const target = `${STATE}/current/${name}`;
  const kind = await effects.entryKind(place);
  if (kind === "link" && (await effects.readLink(place)) === target) return false;
  const next = `${outDir}/${nextLink(name)}`;
  await effects.remove(next);
  await effects.symlink(target, next);
  const moved = kind === "folder" || kind === "file" || kind === "other";
  if (moved) {
    await effects.remove(`${outDir}/${REPLACED}/${name}`);
    // The one moment, once per OUT, with no OUT/site: a real folder cannot be replaced by a link in one rename.
    await effects.rename(place, `${outDir}/${REPLACED}/${name}`);
  }
  await effects.rename(next, place);
  return moved;
}

async function publishFolders(outDir: string, effects: Effects): Promise<string[]> {
  const at = (rel: string) => `${outDir}/${rel}`;
  const first = (await effects.entryKind(at(SITE))) !== "folder";
  try {
    await effects.rename(at(STAGING), at(READY));
  } catch (e) {
    await effects.remove(at(STAGING)).catch(() => {});
    throw e;
  }
  await swapReady(outDir, effects);
  const old = await holdsOldOutputs(outDir, effects);
  for (const name of EARLIER_OUTPUTS) await effects.remove(at(name));
  const notes: string[] = [];
  if (first)
    notes.push(
      `this file system cannot hold symbolic links, so ${at(SITE)} and ${at(PRIVATE)} are real folders, each replaced by two renames at every build (between them, for an instant, it is absent: publish once the build is done)`,
    );
  if (old)
    notes.push(
      `moved the outputs of an earlier c2c in ${outDir} to the new layout: the partner reports and build.json are now in ${at(PRIVATE)}/ (never publish it)`,
    );
  return notes;
}

/**
 * Moves `private` and then `site` from `.c2c/ready` into OUT, each in two renames (old one out to
 * `.c2c/retired`, new one in); safe to run again after a stop: a part already swapped in is skipped.
 */
export async function swapReady(outDir: string, effects: Effects): Promise<void> {
  const ready = `${outDir}/${READY}`;
  const retired = `${outDir}/${RETIRED}`;
  for (const name of [PRIVATE, SITE]) {
    if ((await effects.entryKind(`${ready}/${name}`)) === null) continue;
    if ((await effects.entryKind(`${outDir}/${name}`)) !== null) {
      await effects.remove(`${retired}/${name}`);
      await effects.rename(`${outDir}/${name}`, `${retired}/${name}`);
    }
    await effects.rename(`${ready}/${name}`, `${outDir}/${name}`);
  }
  await effects.remove(ready);
  await effects.remove(retired);
}
