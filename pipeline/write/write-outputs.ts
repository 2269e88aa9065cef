import { createHash } from "node:crypto";
import type { Discovery } from "../discover/discover-files.ts";
import type { Effects } from "../effects.ts";
import type { FileResult } from "../file-result.ts";
import { countSeverity, occurrences } from "../issues/catalogue.ts";
import type { Project } from "../load/load-project.ts";
import { observationKey } from "../observation.ts";
import type { ProtectionResult } from "../protect/protect-cells.ts";
import { outputFault } from "./output-errors.ts";
import { MANIFEST, PRIVATE, PUBLIC_MANIFEST, recoverOutputs, SITE, STAGING } from "./output-layout.ts";
import { publishStaged, swapReady } from "./publish-build.ts";

/** `OUT/private/build.json`: what went in (with checksums: private), what came out, and how many of each. */
export interface BuildManifest {
  c2c: { version: string };
  buildDate: string;
  partnership: string;
  configHash: string;
  reportingYear: number | null;
  inputs: { path: string; partner: string; schema: string | null; bytes: number; sha256: string }[];
  /** Every file written under `site/` and `private/`, by path in OUT, in code-point order (build.json itself not). */
  outputs: { path: string; bytes: number; sha256: string }[];
  counts: {
    files: number;
    rowsRead: number;
    rowsAccepted: number;
    rowsRejected: number;
    cells: number;
    cellsPublished: number;
    suppressedPrimary: number;
    suppressedComplementary: number;
    /** Hidden because the exact audit found that a reader combining every table could still narrow a hidden cell. */
    suppressedAudit: number;
    /** Hidden because the policy hides rates on few people (`privacy.reliability.action: hide`). */
    suppressedReliability: number;
    /** Cells shown only as "<5%" or ">95%" with their denominator (top and bottom coding). */
    coded: number;
    /** Published with a caution: rates on few people. */
    lowReliability: number;
    sourceSuppressed: number;
    incomplete: number;
  };
  issues: { errors: number; warnings: number; info: number; byCode: Record<string, number> };
  /** What the exact audit proved of the published tables, and the relations between indicators it held them to. */
  privacy: {
    hiddenCellsChecked: number;
    hiddenCountsChecked: number;
    auditRounds: number;
    /** The narrowest range a reader can give a hidden count that could be below its indicator's minimum. */
    narrowest: { cell: string; count: string; lo: number; hi: number } | null;
    relations: {
      left: string;
      right: string;
      yearOffset: number;
      origin: string;
      /** Cells where both counts are known, and how many agree. */
      compared: number;
      agreeing: number;
    }[];
  };
}

export function makeManifest(input: {
  project: Project;
  files: FileResult[];
  discovery: Discovery;
  protection: ProtectionResult;
  /** The c2c version and the build's date, as `build.json` records them. */
  stamp: { version: string; buildDate: string };
  reportingYear: number | null;
  outputs: BuildOutputs;
}): BuildManifest {
  const { project, files, discovery, protection } = input;
  const issues = [...discovery.issues, ...files.flatMap((f) => f.issues)];
  const byCode: Record<string, number> = {};
  for (const i of [...issues].sort((a, b) => (a.code < b.code ? -1 : 1)))
    byCode[i.code] = (byCode[i.code] ?? 0) + occurrences(i);
  const reasons = [...protection.hidden.values()];
  const published = protection.published;
  return {
    c2c: { version: input.stamp.version },
    buildDate: input.stamp.buildDate,
    partnership: project.config.partnership.name,
    configHash: project.configHash,
    reportingYear: input.reportingYear,
    inputs: files.map((f) => ({
      path: f.path,
      partner: f.partner,
      schema: f.schema,
      bytes: f.bytes,
      sha256: f.sha256,
    })),
    outputs: outputFiles(input.outputs).map(([path, content]) => ({
      path,
      bytes: byteLength(content),
      sha256: sha256Of(content),
    })),
    counts: {
      files: files.length,
      rowsRead: sum(files.map((f) => f.rowsRead)),
      rowsAccepted: sum(files.map((f) => f.rowsAccepted)),
      rowsRejected: sum(files.map((f) => f.rowsRejected)),
      cells: published.length,
      cellsPublished: published.filter((o) => o.value !== null).length,
      suppressedPrimary: reasons.filter((r) => r === "primary").length,
      suppressedComplementary: reasons.filter((r) => r === "complementary").length,
      suppressedAudit: reasons.filter((r) => r === "audit").length,
      suppressedReliability: reasons.filter((r) => r === "reliability").length,
      coded: published.filter((o) => o.flag === "bottom-coded" || o.flag === "top-coded").length,
      lowReliability: published.filter((o) => o.flag === "low-reliability").length,
      sourceSuppressed: published.filter((o) => o.flag === "source-suppressed").length,
      incomplete: published.filter((o) => o.flag === "incomplete").length,
    },
    privacy: {
      hiddenCellsChecked: protection.audit.cells,
      hiddenCountsChecked: protection.audit.counts,
      auditRounds: protection.audit.rounds,
      narrowest: protection.audit.narrowest && {
        cell: observationKey(protection.audit.narrowest.cell),
        count: protection.audit.narrowest.count,
        lo: protection.audit.narrowest.lo,
        hi: protection.audit.narrowest.hi,
      },
      relations: protection.relations.map((r) => ({
        left: `${r.left.indicator}.${r.left.count}`,
        right: `${r.right.indicator}.${r.right.count}`,
        yearOffset: r.yearOffset,
        origin: r.origin,
        compared: r.compared,
        agreeing: r.agreeing,
      })),
    },
    issues: {
      errors: countSeverity(issues, "error"),
      warnings: countSeverity(issues, "warning"),
      info: countSeverity(issues, "info"),
      byCode,
    },
  };
}

/** What a build writes: the public site and the private outputs beside it. */
export interface BuildOutputs {
  /** Every file of `OUT/site/`, by its path in the site (the public manifest included). */
  site: ReadonlyMap<string, string | Uint8Array>;
  /** Every file of `OUT/private/` but build.json, by its path there (see `privateOutputs`). */
  private: ReadonlyMap<string, string | Uint8Array>;
}

/** `OUT/private/README.txt`: what the private folder holds, and that it is never published. */
export const PRIVATE_README = `PRIVATE: never publish this folder (nor OUT as a whole, nor OUT/.c2c).

  partners/<id>/report.html, report.json
      each partner's data check. They quote the partner's rows: send each partner its own.
  build.json
      what went in: each partner file's path, size and sha256, and what came out. A checksum
      lets anyone who has it test guesses of a small file's contents, so it stays here.
  explain/
      only after \`c2c build --explain\`: each stage's tables, before small numbers are hidden.

The public site is OUT/site/: publish that folder only. c2c writes this folder anew at every build.
`;

/** The private outputs but build.json, by path in `private/`: the README, each partner's report, and `--explain`'s tables. */
export function privateOutputs(
  partnerReports: ReadonlyMap<string, { html: string; json: string }>,
  explain: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const files = new Map<string, string>([["README.txt", PRIVATE_README]]);
  for (const [partner, report] of partnerReports) {
    files.set(`partners/${partner}/report.html`, report.html);
    files.set(`partners/${partner}/report.json`, report.json);
  }
  for (const [name, content] of explain) files.set(`explain/${name}`, content);
  return files;
}

/** `OUT/site/c2c-manifest.json`: what `c2c verify` checks a copy of the site against. No input hashes. */
export interface PublicManifest {
  c2c: { version: string };
  buildDate: string;
  partnership: string;
  configHash: string;
  reportingYear: number | null;
  /** Every other file of the site, by its path in the site, in code-point order. */
  outputs: { path: string; bytes: number; sha256: string }[];
}

/** The public manifest of `site` (every file in it but the manifest itself), as written. */
export function publicManifestJson(
  site: ReadonlyMap<string, string | Uint8Array>,
  about: Omit<PublicManifest, "outputs">,
): string {
  const manifest: PublicManifest = {
    c2c: about.c2c,
    buildDate: about.buildDate,
    partnership: about.partnership,
    configHash: about.configHash,
    reportingYear: about.reportingYear,
    outputs: [...site.entries()]
      .filter(([p]) => p !== PUBLIC_MANIFEST)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, content]) => ({ path, bytes: byteLength(content), sha256: sha256Of(content) })),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * Stage 13: writes the site and the private outputs, with the manifest, into `OUT/.c2c/staging/`,
 * then publishes it whole (`publishStaged`: one rename of a link, or real folders where the file
 * system has no links). First it clears what a stopped build left (`recoverOutputs`).
 *
 * A build stopped at any moment leaves the old outputs published, or the complete new ones; never
 * a half-written site. A disk that fills up, or a folder that cannot be written, stops it with an
 * OutputFolderError (a code and a fix), after removing what it had begun: OUT is as it was.
 * Expects OUT claimed by `claimOutFolder` (the CLI does it before the build reads anything).
 */
export async function writeOutputs(
  outDir: string,
  outputs: BuildOutputs,
  manifest: BuildManifest,
  effects: Effects,
): Promise<void> {
  const staging = `${outDir}/${STAGING}`;
  try {
    await recoverOutputs(outDir, effects, swapReady);
    for (const [p, content] of outputFiles(outputs)) await effects.writeFile(`${staging}/${p}`, content);
    await effects.writeFile(`${staging}/${MANIFEST}`, manifestJson(manifest));
  } catch (e) {
    // Removing needs no free space: a full disk leaves nothing behind.
    await effects.remove(staging).catch(() => {});
    throw outputFault(e, outDir) ?? e;
  }
  let notes: string[];
  try {
    notes = await publishStaged(outDir, effects);
  } catch (e) {
    throw outputFault(e, outDir) ?? e;
  }
  for (const note of notes) effects.log.info(`c2c: ${note}.`);
}

/** Every file of the site and the private outputs, by its path in OUT, in code-point order (build.json not). */
export function outputFiles(outputs: BuildOutputs): [string, string | Uint8Array][] {
  const files: [string, string | Uint8Array][] = [
    ...[...outputs.site.entries()].map(([p, c]): [string, string | Uint8Array] => [`${SITE}/${p}`, c]),
    ...[...outputs.private.entries()].map(([p, c]): [string, string | Uint8Array] => [`${PRIVATE}/${p}`, c]),
  ];
  return files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `private/build.json` as written: two-space JSON and a final newline. */
export function manifestJson(manifest: BuildManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The sha256 of a file's bytes, as hex. */
export function sha256Of(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

function byteLength(content: string | Uint8Array): number {
  return typeof content === "string" ? Buffer.byteLength(content) : content.length;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
