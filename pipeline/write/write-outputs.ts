import type { BuildOptions } from "../build.ts";
import type { Discovery } from "../discover/discover-files.ts";
import type { Effects } from "../effects.ts";
import type { FileResult } from "../file-result.ts";
import type { Project } from "../load/load-project.ts";
import type { ProtectionResult } from "../protect/protect-cells.ts";

/** `out/build.json`: what went in, what came out, and how many of each. */
export interface BuildManifest {
  c2c: { version: string };
  buildDate: string;
  partnership: string;
  configHash: string;
  reportingYear: number | null;
  inputs: { path: string; partner: string; schema: string | null; bytes: number; sha256: string }[];
  counts: {
    files: number;
    rowsRead: number;
    rowsAccepted: number;
    rowsRejected: number;
    cells: number;
    cellsPublished: number;
    suppressedPrimary: number;
    suppressedComplementary: number;
    /** Hidden because the policy hides rates on few people (`privacy.reliability.action: hide`). */
    suppressedReliability: number;
    /** Published with a caution: rates on few people. */
    lowReliability: number;
    sourceSuppressed: number;
    incomplete: number;
  };
  issues: { errors: number; warnings: number; info: number; byCode: Record<string, number> };
}

export function makeManifest(input: {
  project: Project;
  files: FileResult[];
  discovery: Discovery;
  protection: ProtectionResult;
  options: BuildOptions;
  reportingYear: number | null;
}): BuildManifest {
  const { project, files, discovery, protection } = input;
  const issues = [...discovery.issues, ...files.flatMap((f) => f.issues)];
  const byCode: Record<string, number> = {};
  for (const i of [...issues].sort((a, b) => (a.code < b.code ? -1 : 1))) byCode[i.code] = (byCode[i.code] ?? 0) + 1;
  const reasons = [...protection.hidden.values()];
  const published = protection.published;
  return {
    c2c: { version: input.options.version },
    buildDate: input.options.buildDate,
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
    counts: {
      files: files.length,
      rowsRead: sum(files.map((f) => f.rowsRead)),
      rowsAccepted: sum(files.map((f) => f.rowsAccepted)),
      rowsRejected: sum(files.map((f) => f.rowsRejected)),
      cells: published.length,
      cellsPublished: published.filter((o) => o.value !== null).length,
      suppressedPrimary: reasons.filter((r) => r === "primary").length,
      suppressedComplementary: reasons.filter((r) => r === "complementary").length,
      suppressedReliability: reasons.filter((r) => r === "reliability").length,
      lowReliability: published.filter((o) => o.flag === "low-reliability").length,
      sourceSuppressed: published.filter((o) => o.flag === "source-suppressed").length,
      incomplete: published.filter((o) => o.flag === "incomplete").length,
    },
    issues: {
      errors: issues.filter((i) => i.severity === "error").length,
      warnings: issues.filter((i) => i.severity === "warning").length,
      info: issues.filter((i) => i.severity === "info").length,
      byCode,
    },
  };
}

/**
 * Stage 10: writes the site and the partner reports beside the old ones and swaps them in only
 * when complete, so a build that fails part-way leaves the previous `out/` as it was.
 */
export async function writeOutputs(
  outDir: string,
  site: ReadonlyMap<string, string | Uint8Array>,
  partnerReports: ReadonlyMap<string, { html: string; json: string }>,
  manifest: BuildManifest,
  effects: Effects,
): Promise<void> {
  const staging = `${outDir}/.c2c-staging`;
  await effects.remove(staging);
  for (const [p, content] of [...site.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
    await effects.writeFile(`${staging}/site/${p}`, content);
  for (const [partner, report] of [...partnerReports.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await effects.writeFile(`${staging}/partners/${partner}/report.html`, report.html);
    await effects.writeFile(`${staging}/partners/${partner}/report.json`, report.json);
  }
  await effects.writeFile(`${staging}/build.json`, `${JSON.stringify(manifest, null, 2)}\n`);

  const retired = `${outDir}/.c2c-retired`;
  await effects.remove(retired);
  for (const name of ["site", "partners", "build.json"]) {
    if (await effects.exists(`${outDir}/${name}`)) await effects.rename(`${outDir}/${name}`, `${retired}/${name}`);
    await effects.rename(`${staging}/${name}`, `${outDir}/${name}`);
  }
  await effects.remove(retired);
  await effects.remove(staging);
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
