import { describe, expect, it } from "vitest";
import { formatIssue, makeIssue, QUOTED_CHARS, quotedText } from "./catalogue.ts";

describe("partner text quoted in an issue", () => {
  it("is quoted whole up to 200 characters", () => {
    const label = "A".repeat(QUOTED_CHARS);
    const issue = makeIssue(
      "unknown-code",
      { line: 5, column: "student_group" },
      { column: "student_group", value: label, expected: "a group" },
    );
    expect(issue.value).toBe(label);
    expect(issue.message).toContain(`\`${label}\` is not a code`);
  });

  it("past 200 characters, is cut with an ellipsis and its full length, in the value, the message and the fix", () => {
    const label = "A".repeat(1_000_000);
    const issue = makeIssue(
      "unknown-code",
      { line: 5, column: "student_group" },
      { column: "student_group", value: label, expected: "a group" },
    );
    expect(issue.value).toBe(`${"A".repeat(QUOTED_CHARS)}…`);
    expect(issue.message).toBe(
      `The \`student_group\` value \`${"A".repeat(QUOTED_CHARS)}…\` (1,000,000 characters) is not a code c2c knows; the row was not used.`,
    );
    expect(formatIssue(issue).length).toBeLessThan(500);
  });

  it("cuts a header used as the column, and never between the halves of a character", () => {
    const header = `${"x".repeat(QUOTED_CHARS - 1)}😀${"y".repeat(500)}`;
    const issue = makeIssue("unknown-column", { line: 1, column: header }, { value: header, other: "outcome-counts" });
    expect(issue.column).toBe(`${"x".repeat(QUOTED_CHARS - 1)}…`);
    expect(issue.message).toContain("(701 characters)");
    expect(quotedText("short")).toBe("short");
  });
});
