import type { PartnerFile } from "../discover/discover-files.ts";

/**
 * `versions: combine`: a partner that sends one file per school (or per program) for one extract
 * and year sends one file in parts. The files of such a group are one sender, whose figures are
 * added cell by cell (`resolveConflicts` takes this map), and whose rows must not repeat each other
 * any more than one file's rows may (`takeOutCombinedRepeats`, in per-file/): a student in two
 * schools' files is counted once.
 */

/** Each file of a `versions: combine` group of two or more files, with the group's key (partner, year, extract). */
export function combineGroups(files: readonly PartnerFile[]): Map<string, string> {
  const groups = new Map<string, PartnerFile[]>();
  for (const f of files) {
    if (f.extract.versions !== "combine") continue;
    const key = `${f.partner}\u0000${f.year}\u0000${f.extract.schema}\u0000${f.extract.files}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out = new Map<string, string>();
  for (const [key, group] of groups) if (group.length > 1) for (const f of group) out.set(f.path, key);
  return out;
}
