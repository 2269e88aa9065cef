import { describe, expect, it } from "vitest";
import { KEPT_PER_PROBLEM, makeIssue, occurrences, ProblemFolder } from "./catalogue.ts";

const where = { partner: "p", file: "f.csv" };
const typo = (line: number, value: string, column = "grade") =>
  makeIssue("type-error", { ...where, line, column }, { column, value, expected: "a grade 0-12" });

describe("ProblemFolder", () => {
  it("keeps the first of a problem with their lines and counts the rest on the last kept", () => {
    const folder = new ProblemFolder();
    const kept = [];
    for (let line = 2; line < 2 + 2500; line++) {
      const issue = typo(line, line % 2 ? "3rd" : "4th");
      if (folder.keep(issue)) kept.push(issue);
    }
    expect(kept).toHaveLength(KEPT_PER_PROBLEM);
    expect(kept.map((i) => i.line).slice(0, 3)).toEqual([2, 3, 4]);
    expect(kept.reduce((n, i) => n + occurrences(i), 0)).toBe(2500);
    expect(kept.at(-1)?.count).toBe(2500 - KEPT_PER_PROBLEM + 1);
  });

  it("keeps problems apart by column and code, and always keeps an issue about the whole file", () => {
    const folder = new ProblemFolder();
    for (let line = 2; line < 2 + KEPT_PER_PROBLEM; line++) folder.keep(typo(line, "3rd"));
    expect(folder.keep(typo(5000, "3rd"))).toBe(false);
    expect(folder.keep(typo(5001, "3rd", "school_year"))).toBe(true);
    expect(folder.keep(makeIssue("missing-column", where, { column: "grade" }))).toBe(true);
  });
});
