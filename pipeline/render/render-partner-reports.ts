import type { Discovery } from "../discover/discover-files.ts";
import type { Effects } from "../effects.ts";
import type { FileResult } from "../file-result.ts";
import type { Project } from "../load/load-project.ts";
import {
  buildPartnerReport,
  loadPartnerReportTemplate,
  renderPartnerReportHtml,
} from "./partner/render-partner-report.ts";

/**
 * Stage 9, private side: one report per partner, from its files' results and the files in its
 * folder that c2c could not place. Every partner gets a report, even one that sent nothing.
 */
export async function renderPartnerReports(
  project: Project,
  discovery: Discovery,
  files: readonly FileResult[],
  options: { buildDate: string; version: string; c2cRoot: string },
  effects: Effects,
): Promise<Map<string, { html: string; json: string }>> {
  const template = await loadPartnerReportTemplate((p) => effects.readFile(p), options.c2cRoot);
  const reports = new Map<string, { html: string; json: string }>();
  for (const partner of project.partners) {
    const unplaced: FileResult[] = discovery.skipped
      .filter((s) => s.partner === partner.id)
      .map((s) => ({
        partner: partner.id,
        path: s.path,
        schema: null,
        sha256: "",
        bytes: 0,
        year: null,
        rowsRead: 0,
        rowsAccepted: 0,
        rowsRejected: 0,
        issues: discovery.issues.filter((i) => i.file === s.path),
      }));
    const report = buildPartnerReport({
      partner,
      files: [...files.filter((f) => f.partner === partner.id), ...unplaced],
      buildDate: options.buildDate,
      version: options.version,
      partnershipName: project.config.partnership.name,
    });
    reports.set(partner.id, {
      html: renderPartnerReportHtml(report, template),
      json: `${JSON.stringify(report, null, 2)}\n`,
    });
  }
  return reports;
}
