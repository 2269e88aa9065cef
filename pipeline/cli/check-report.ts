import type { Partner } from "../../schemas/index.ts";
import type { Effects } from "../effects.ts";
import type { FileResult } from "../file-result.ts";
import {
  buildPartnerReport,
  loadPartnerReportTemplate,
  renderPartnerReportHtml,
} from "../render/partner/render-partner-report.ts";
import type { CheckOptions } from "./check-options.ts";

/** Writes `c2c check --report`: the same page the build sends a partner, for one file. */
export async function writeCheckReport(
  target: string,
  partner: Partner,
  partnershipName: string,
  result: FileResult,
  options: CheckOptions,
  effects: Effects,
): Promise<void> {
  const template = await loadPartnerReportTemplate((p) => effects.readFile(p), options.c2cRoot);
  const report = buildPartnerReport({
    partner,
    files: [result],
    buildDate: options.buildDate,
    version: options.version,
    partnershipName,
  });
  await effects.writeFile(target, renderPartnerReportHtml(report, template));
}
