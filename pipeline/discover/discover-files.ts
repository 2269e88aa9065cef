import type { PartnerExtract } from "../../schemas/index.ts";
import type { Effects } from "../effects.ts";
import { issueForRefusal } from "../files/file-issues.ts";
import type { Refusal } from "../files/path-kind.ts";
import { type Issue, makeIssue } from "../issues/catalogue.ts";
import { configError, ProjectError } from "../load/config-error.ts";
import type { Project } from "../load/load-project.ts";
import type { ConfigMessage } from "../messages/config/index.ts";
import { parseSchoolYear } from "../values/parse-values.ts";
import { latestVersion } from "./file-versions.ts";

/** A partner file found in `data/<year>/<partner>/`, matched to the extract it follows. */
export interface PartnerFile {
  /** Project-relative path with `/` separators. */
  path: string;
  partner: string;
  year: number | null;
  extract: PartnerExtract;
}

export interface Discovery {
  files: PartnerFile[];
  /** Files c2c could not place: unknown partner folders, names no extract matches. */
  issues: Issue[];
  /** Files listed in the data folder but not read, with the partner they belong to if known. */
  skipped: { path: string; partner: string | null }[];
}

/** What is in the data folder: what c2c may read, and what it found and will not open. */
export interface DataListing {
  /** Regular files and folders, relative to `data/` (folders end with `/`); links inside the project included. */
  paths: string[];
  /** Links that leave the project or loop, FIFOs, devices, sockets, folders that cannot be listed, files too large. */
  refused: RefusedEntry[];
}

/** An entry of the data folder c2c did not read, relative to `data/`, and why. */
export interface RefusedEntry {
  path: string;
  refusal: Refusal;
}

/** Turns a `files:` pattern such as `assessment-*.csv` into a whole-name, case-insensitive matcher. */
export function fileNamePattern(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "i");
}

/**
 * Stage 2: lists `data/<year>/<partner>/*` and matches each file to its partner and extract. Pure
 * over the list of paths; the listing itself is done by `listDataFiles`.
 */
export function discoverFiles(
  paths: readonly string[],
  project: Project,
  refused: readonly RefusedEntry[] = [],
): Discovery {
  const partners = new Map(project.partners.map((p) => [p.id, p]));
  const files: PartnerFile[] = [];
  const issues: Issue[] = [];
  const skipped: Discovery["skipped"] = [];
  // Never opened: each is an issue in the report of the partner whose folder it is in.
  for (const { path: rel, refusal } of refused) {
    if (rel.split("/").some((part) => part.startsWith("."))) continue;
    const partnerDir = rel.split("/")[1];
    const partner = partnerDir === undefined ? null : (partners.get(partnerDir)?.id ?? null);
    const path = `data/${rel}`;
    issues.push(issueForRefusal(refusal, { partner, file: path }, project.root));
    skipped.push({ path, partner });
  }
  const folders = readFolders(paths, partners, issues, skipped);
  for (const rel of [...paths].sort()) {
    if (rel.endsWith("/") || folders.some((f) => rel.startsWith(f))) continue;
    const parts = rel.split("/");
    const name = parts[parts.length - 1] ?? "";
    if (name.startsWith(".") || /^readme(\.\w+)?$/i.test(name)) continue;
    const [yearDir, partnerDir] = parts;
    const path = `data/${rel}`;
    const year = yearDir === undefined ? null : parseSchoolYear(yearDir);
    if (parts.length !== 3 || year === null || partnerDir === undefined) {
      issues.push(makeIssue("unknown-partner", { file: path }, { value: rel }));
      skipped.push({ path, partner: null });
      continue;
    }
    const partner = partners.get(partnerDir);
    if (!partner) {
      issues.push(makeIssue("unknown-partner", { file: path }, { value: partnerDir }));
      skipped.push({ path, partner: null });
      continue;
    }
    const extract = partner.extracts.find((x) => fileNamePattern(x.files).test(name));
    if (!extract) {
      issues.push(makeIssue("unmatched-file", { partner: partner.id, file: path }, { other: partner.id }));
      skipped.push({ path, partner: partner.id });
      continue;
    }
    files.push({ path, partner: partner.id, year, extract });
  }
  const { superseded, undecided } = chooseVersions(files);
  for (const [old, later] of superseded) {
    issues.push(makeIssue("superseded-file", { partner: old.partner, file: old.path }, { other: later.path }));
    skipped.push({ path: old.path, partner: old.partner });
  }
  for (const [file, others] of undecided) {
    const other = others.map((o) => o.path).join("`, `");
    issues.push(makeIssue("versions-undecided", { partner: file.partner, file: file.path }, { other }));
    skipped.push({ path: file.path, partner: file.partner });
  }
  return { files: files.filter((f) => !superseded.has(f) && !undecided.has(f)), issues, skipped };
}

/**
 * Folders in a partner's folder named like one of its data files (`scores.csv/`): an error in that
 * partner's report, since the partner meant to send a file. Returns them (with `/`) so the files
 * inside are not reported again. Other folders are left to the rules for files.
 */
function readFolders(
  paths: readonly string[],
  partners: ReadonlyMap<string, Project["partners"][number]>,
  issues: Issue[],
  skipped: Discovery["skipped"],
): string[] {
  const found: string[] = [];
  for (const rel of paths) {
    if (!rel.endsWith("/")) continue;
    const parts = rel.slice(0, -1).split("/");
    const [, partnerDir, name] = parts;
    const partner = partnerDir === undefined ? undefined : partners.get(partnerDir);
    if (parts.length !== 3 || !partner || name === undefined) continue;
    if (!partner.extracts.some((x) => fileNamePattern(x.files).test(name))) continue;
    const path = `data/${rel.slice(0, -1)}`;
    issues.push(
      makeIssue("file-unreadable", { partner: partner.id, file: path }, { detail: "it is a folder, not a file" }),
    );
    skipped.push({ path, partner: partner.id });
    found.push(rel);
  }
  return found;
}

/**
 * Of a partner's files of one `versions: replace` extract in one year, the ones a later version
 * replaces (by name: see `latestVersion`), and, where the names leave it open, every file of the
 * group with the others it competes with: none of those is read.
 */
function chooseVersions(files: readonly PartnerFile[]): {
  superseded: Map<PartnerFile, PartnerFile>;
  undecided: Map<PartnerFile, PartnerFile[]>;
} {
  const groups = new Map<string, PartnerFile[]>();
  for (const f of files) {
    if (f.extract.versions !== "replace") continue;
    const key = `${f.partner}\u0000${f.year}\u0000${f.extract.schema}\u0000${f.extract.files}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const superseded = new Map<PartnerFile, PartnerFile>();
  const undecided = new Map<PartnerFile, PartnerFile[]>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const latest = latestVersion(group, (f) => f.path.slice(f.path.lastIndexOf("/") + 1));
    for (const f of group) {
      if (latest === null)
        undecided.set(
          f,
          group.filter((o) => o !== f),
        );
      else if (f !== latest) superseded.set(f, latest);
    }
  }
  return { superseded, undecided };
}

/** Lists the project's data folder (paths relative to `data/`; folders end with `/`): what c2c may read. */
export async function listDataFiles(projectRoot: string, effects: Effects): Promise<string[]> {
  return (await listDataFolder(projectRoot, effects)).paths;
}

/**
 * Lists the project's data folder without opening any file: the regular files and folders c2c may
 * read (a link is followed while it stays inside the project; a link to a folder is not followed),
 * and the entries it will not open, with why. A data folder that leads out of the project or cannot
 * be listed stops the build (a ProjectError): building without it would publish an empty site.
 */
export async function listDataFolder(projectRoot: string, effects: Effects): Promise<DataListing> {
  const dir = `${projectRoot}/data`;
  const within = { within: projectRoot };
  const at = await effects.inspect(dir, within);
  if (at.kind === "missing") return { paths: [], refused: [] };
  const fail = (message: ConfigMessage): never => {
    throw new ProjectError([configError({ file: "data", line: null, key: null }, message)]);
  };
  if (at.kind === "link-outside")
    fail({ code: "path-outside-project", params: { via: "data-link", target: at.target } });
  if (at.kind === "denied") fail({ code: "path-unreadable", params: { what: "data-folder" } });
  if (at.kind !== "folder") fail({ code: "path-not-a-folder", params: {} });
  let entries: Awaited<ReturnType<Effects["listEntries"]>>;
  try {
    entries = await effects.listEntries(dir, within);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EACCES" && code !== "EPERM") throw e;
    return fail({ code: "path-unreadable", params: { what: "data-listing" } });
  }
  const paths: string[] = [];
  const refused: RefusedEntry[] = [];
  const limit = effects.readLimits.maxBytes;
  for (const { path: rel, what } of entries) {
    if (what.kind === "folder" && !what.link) paths.push(rel);
    else if (what.kind === "file" && what.size > limit)
      refused.push({ path: rel, refusal: { kind: "too-large", size: what.size, limit, grew: false } });
    else if (what.kind === "file") paths.push(rel);
    else refused.push({ path: rel.replace(/\/$/, ""), refusal: what });
  }
  return { paths, refused };
}

/**
 * Each data file's size and when it was last changed, by project-relative path (`data/...`): the
 * times for `discoverFiles`, the sizes to decide on threads. A file that cannot be read is left
 * out (it is reported when it is read).
 */
export async function dataFileStats(
  projectRoot: string,
  paths: readonly string[],
  effects: Effects,
): Promise<Map<string, { size: number; modifiedMs: number }>> {
  const stats = new Map<string, { size: number; modifiedMs: number }>();
  for (const rel of paths) {
    if (rel.endsWith("/")) continue;
    try {
      stats.set(`data/${rel}`, await effects.stat(`${projectRoot}/data/${rel}`));
    } catch {
      // an unreadable file is reported when it is read
    }
  }
  return stats;
}
