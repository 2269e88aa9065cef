import type { PartnerExtract } from "../../schemas/index.ts";
import type { Effects } from "../effects.ts";
import { type Issue, makeIssue } from "../issues/catalogue.ts";
import type { Project } from "../load/load-project.ts";
import { parseSchoolYear } from "../validate/parse-values.ts";

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
export function discoverFiles(paths: readonly string[], project: Project): Discovery {
  const partners = new Map(project.partners.map((p) => [p.id, p]));
  const files: PartnerFile[] = [];
  const issues: Issue[] = [];
  const skipped: Discovery["skipped"] = [];
  for (const rel of [...paths].sort()) {
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
  return { files, issues, skipped };
}

/** Lists the project's data folder (paths relative to `data/`). */
export async function listDataFiles(projectRoot: string, effects: Effects): Promise<string[]> {
  const dir = `${projectRoot}/data`;
  if (!(await effects.exists(dir))) return [];
  return effects.listFiles(dir);
}
