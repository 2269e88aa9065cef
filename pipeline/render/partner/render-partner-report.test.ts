import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import type { Partner } from "../../../schemas/index.ts";
import type { FileResult } from "../../file-result.ts";
import { type Issue, makeIssue } from "../../issues/catalogue.ts";
import { REPO_ROOT } from "../../test-support/load-fixture.ts";
import {
  buildPartnerReport,
  describeLines,
  loadPartnerReportTemplate,
  type PartnerReportTemplate,
  renderPartnerReportHtml,
  viewPartnerReport,
} from "./render-partner-report.ts";

const partner: Partner = {
  id: "riverside-usd",
  name: "Riverside Unified School District",
  kind: "school-district",
  extracts: [
    {
      schema: "student-assessment",
      files: "assessment-*.csv",
      suppressed: [],
      notApplicable: [],
      percentScale: "percent",
      years: "folder",
      versions: "replace",
    },
  ],
};
const path = "data/2025/riverside-usd/assessment-2025.csv";
const where = { partner: partner.id, file: path };

function fileResult(issues: Issue[], rows: Partial<FileResult> = {}): FileResult {
  return {
    partner: partner.id,
    path,
    schema: "student-assessment",
    sha256: "ab".repeat(32),
    bytes: 184_320,
    year: 2025,
    rowsRead: 5000,
    rowsAccepted: 5000,
    rowsRejected: 0,
    issues,
    ...rows,
  };
}

function report(files: FileResult[]) {
  return buildPartnerReport({
    partner,
    files,
    buildDate: "2025-07-01",
    version: "0.1.0",
    partnershipName: "Riverside Promise",
  });
}

/** A grade typed as `3rd` on 4,000 lines, one missing column, a year warning and an unknown column. */
function messyIssues(): Issue[] {
  const issues: Issue[] = [makeIssue("unknown-column", where, { value: "notes", other: "student-assessment" })];
  for (let line = 2; line < 4002; line++)
    issues.push(
      makeIssue(
        "type-error",
        { ...where, line, column: "grade" },
        { column: "grade", value: line % 2 ? "3rd" : "4th", expected: "a grade 0-12" },
      ),
    );
  issues.push(
    makeIssue(
      "id-mangled",
      { ...where, line: 7, column: "student_id" },
      { column: "student_id", value: "1.23457E+11", detail: "it is in scientific notation" },
    ),
  );
  issues.push(makeIssue("missing-column", where, { column: "scale_score" }));
  return issues;
}

describe("buildPartnerReport", () => {
  it("groups a problem repeated on thousands of rows into one entry and keeps every issue counted", () => {
    const issues = messyIssues();
    const file = report([fileResult(issues, { rowsAccepted: 1000, rowsRejected: 4000 })]).files[0]!;
    expect(file.issues.reduce((n, g) => n + g.count, 0)).toBe(issues.length);
    const grade = file.issues.find((g) => g.code === "type-error")!;
    expect(grade).toMatchObject({ column: "grade", count: 4000, moreLines: 3990, values: ["4th", "3rd"] });
    expect(grade.lines).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(file.issues).toHaveLength(4);
  });

  it("puts errors before warnings before notes, and whole-file problems first", () => {
    const file = report([fileResult(messyIssues())]).files[0]!;
    expect(file.issues.map((g) => [g.severity, g.code, g.lines[0] ?? null])).toEqual([
      ["error", "missing-column", null],
      ["error", "type-error", 2],
      ["warning", "id-mangled", 7],
      ["info", "unknown-column", null],
    ]);
  });

  it("keeps different fixes apart, so each group's fix is right for all its lines", () => {
    const codes = ["HISP", "HISP", "WHT"].map((value, i) =>
      makeIssue(
        "unknown-code",
        { ...where, line: i + 2, column: "race" },
        { column: "race", value, expected: "hispanic, white", detail: value === "HISP" ? "hispanic" : "white" },
      ),
    );
    const groups = report([fileResult(codes)]).files[0]!.issues;
    expect(groups.map((g) => [g.lines, g.count])).toEqual([
      [[2, 3], 2],
      [[4], 1],
    ]);
  });

  it("lists the columns an agency file has beyond the extract in one entry, not one entry a column", () => {
    const names = ["Short_Name", "Long_Name", "Address", "City", "Zip", "Phone", "Fax"];
    const issues = [
      makeIssue("missing-column", { ...where, line: 1 }, { column: "measure" }),
      makeIssue("missing-column", { ...where, line: 1 }, { column: "met_count" }),
      ...names.map((name) =>
        makeIssue("unknown-column", { ...where, line: 1, column: name }, { value: name, other: "outcome-counts" }),
      ),
    ];
    const file = report([fileResult(issues)]).files[0]!;
    expect(file.issues.map((g) => [g.code, g.column, g.count])).toEqual([
      ["missing-column", "measure", 1],
      ["missing-column", "met_count", 1],
      ["unknown-column", null, 7],
    ]);
    const view = viewPartnerReport(report([fileResult(issues)])).files[0]!.sections.at(-1)!.groups[0]!;
    expect(view.valuesLabel).toBe("Columns");
    expect(view.values).toEqual(names.slice(0, 5));
    expect(view.moreValues).toBe("and 2 other columns");
  });

  it("says a file with no issues is ready", () => {
    const r = report([fileResult([])]);
    expect(r.status).toBe("ready");
    expect(r.files[0]).toMatchObject({ status: "ready", errors: 0, issues: [] });
    expect(r.totals).toEqual({
      files: 1,
      rowsRead: 5000,
      rowsAccepted: 5000,
      rowsRejected: 0,
      errors: 0,
      warnings: 0,
      infos: 0,
    });
  });

  it("gives a partner that sent nothing a 'nothing received' report", () => {
    const r = report([]);
    expect(r.status).toBe("nothing received");
    expect(r.files).toEqual([]);
    expect(r.totals.files).toBe(0);
  });

  it("marks a file no extract matched as not read, and any error as needing fixes", () => {
    const unplaced = fileResult([makeIssue("unmatched-file", where, { other: partner.id })], {
      path: "data/2025/riverside-usd/notes.csv",
      schema: null,
      rowsRead: 0,
      rowsAccepted: 0,
    });
    const failing = fileResult([makeIssue("missing-column", where, { column: "grade" })]);
    const r = report([unplaced, failing]);
    expect(r.status).toBe("needs fixes");
    expect(r.files.map((f) => [f.path, f.status])).toEqual([
      [path, "needs fixes"],
      ["data/2025/riverside-usd/notes.csv", "not read"],
    ]);
  });

  it("is plain data: the JSON round trip changes nothing", () => {
    const r = report([fileResult(messyIssues())]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe("describeLines", () => {
  it("names the first lines and counts the rest", () => {
    expect(describeLines([14], 0)).toBe("line 14");
    expect(describeLines([14, 27, 33], 0)).toBe("lines 14, 27 and 33");
    expect(describeLines([14, 27, 33], 3997)).toBe("lines 14, 27, 33 and 3,997 more");
  });
});

describe("renderPartnerReportHtml", () => {
  let template: PartnerReportTemplate;
  beforeAll(async () => {
    template = await loadPartnerReportTemplate(async (p) => new Uint8Array(await readFile(p)), REPO_ROOT);
  });

  it("shows the lines, what is wrong and how to fix it", () => {
    const html = renderPartnerReportHtml(report([fileResult(messyIssues(), { rowsRejected: 4000 })]), template);
    expect(html).toContain("Lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3,990 more");
    expect(html).toContain("Add a column headed <code>scale_score</code>");
    expect(html).toContain("Write a grade 0-12 in <code>grade</code>");
    expect(html).toContain("Needs fixes");
    expect(html.indexOf(">Error<")).toBeLessThan(html.indexOf(">Warning<"));
  });

  it("escapes partner-supplied text everywhere it lands", () => {
    const attack = "<script>alert(1)</script>";
    const issues = [
      makeIssue(
        "type-error",
        { ...where, line: 2, column: "grade" },
        { column: "grade", value: attack, expected: "a grade" },
      ),
    ];
    const html = renderPartnerReportHtml(
      buildPartnerReport({
        partner: { ...partner, name: `Riverside ${attack}` },
        files: [fileResult(issues, { path: `data/2025/riverside-usd/${attack}.csv` })],
        buildDate: "2025-07-01",
        version: "0.1.0",
        partnershipName: attack,
      }),
      template,
    );
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;");
  });

  it("counts the problems to fix and the errors they stand for, as the files table does", () => {
    const html = renderPartnerReportHtml(
      report([fileResult(messyIssues(), { rowsAccepted: 1000, rowsRejected: 4000 })]),
      template,
    );
    expect(html).toContain("Fix the 2 problems marked Error below (4,001 errors in all, on the lines each names)");
    const one = [makeIssue("missing-column", { ...where, line: 1 }, { column: "grade" })];
    expect(renderPartnerReportHtml(report([fileResult(one)]), template)).toContain(
      "Fix the 1 problem marked Error below, then send",
    );
  });

  it("tells a partner with no files that nothing was received, and one with clean files that they are ready", () => {
    expect(renderPartnerReportHtml(report([]), template)).toContain("Nothing received");
    const ready = renderPartnerReportHtml(report([fileResult([])]), template);
    expect(ready).toContain("Ready: Your file is ready");
    expect(ready).toContain("All 5,000 rows were accepted.");
    expect(ready).toContain("No problems were found in this file.");
  });

  it("tells a partner whose file has no errors but no usable row that nothing was used, and why to look", () => {
    const rates = makeIssue(
      "rate-without-count",
      { ...where, column: "Graduation_Pct" },
      { count: 49, value: "Graduation_Pct", detail: "the file gives no count for any of them" },
    );
    const built = report([fileResult([rates], { rowsAccepted: 0, rowsRejected: 49, rowsRead: 49 })]);
    expect([built.status, built.files[0]?.status]).toEqual(["nothing used", "nothing used"]);
    const html = renderPartnerReportHtml(built, template);
    expect(html).toContain("Nothing used: Your file has no errors, but none of its rows could be used.");
    expect(html).toContain("None of its 49 rows could be used; the warnings and notes below say why.");
    expect(html).not.toContain("is ready");
  });

  it("is one page that needs nothing from the network", () => {
    const html = renderPartnerReportHtml(report([fileResult(messyIssues())]), template);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|src=|url\(/);
  });
});
