import type { FieldSource } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import type { FieldValues } from "./field-values.ts";
import type { RecordGet } from "./source-columns.ts";

interface RateStats {
  derived: number;
  bounded: number;
  noCount: number;
  /** Of the `noCount` rates, those given only as a range (`< 30%`), by text. */
  ranges: Map<string, number>;
  rate: string;
  of: string;
}

/**
 * What became of a mapped file's rate cells: counts derived from them, ranges kept as bounds,
 * rates with no count, and, in rows never handed on (a rate with no count), markers withheld and
 * blanks. A rate over 100%, or a rate-only cell that is no rate, is an error on its line (`issues`);
 * the rest is told once, after the last row (`report`).
 */
export class RateTally {
  private readonly stats = new Map<string, RateStats>();
  private readonly markers: Set<string>;
  // What became of the rate cells of rows never handed on: markers by text, blanks by column.
  private readonly withheld = new Map<string, number>();
  private readonly blanks = new Map<string, number>();
  private blankRows = 0;

  constructor(
    private readonly values: FieldValues,
    markers: readonly string[],
    private readonly where: IssueLocation,
    private readonly issues: Issue[],
  ) {
    this.markers = new Set(markers.map((m) => m.trim().toLowerCase()).filter((m) => m !== ""));
  }

  /** Tallies the rate cells of one target row of `plan`, from source line `line`. */
  countRow(plan: readonly (FieldSource | null)[], get: RecordGet, line: number, rateOnly: boolean): void {
    let blank = false;
    for (const source of plan) if (source?.rate !== undefined) blank = this.count(source, get, line, rateOnly) || blank;
    if (blank) this.blankRows++;
  }

  /**
   * Tallies what became of a rate, for the report; a rate over 100% is an error on its line. In a
   * row that is not handed on (`rateOnly`), a marker or a blank is accounted for here too: a
   * listed marker is withheld, any other text is not a rate. Returns whether the rate was blank.
   */
  private count(source: FieldSource, get: RecordGet, line: number, rateOnly: boolean): boolean {
    const rate = source.rate as string;
    const text = (get(rate) ?? "").trim();
    const derived = this.values.derive(source, get);
    const stats = this.stats.get(rate) ?? {
      derived: 0,
      bounded: 0,
      noCount: 0,
      ranges: new Map<string, number>(),
      rate,
      of: source.of ?? "",
    };
    this.stats.set(rate, stats);
    if (derived.kind === "count") stats.derived++;
    else if (derived.kind === "bounded") stats.bounded++;
    else if (derived.kind === "no-count") {
      stats.noCount++;
      if (derived.bounded) tally(stats.ranges, text);
    } else if (derived.kind === "exceeds")
      this.issues.push(
        makeIssue(
          "rate-exceeds-one",
          { ...this.where, line, column: rate },
          { column: rate, value: text, detail: `a share of ${derived.share.toFixed(4)}` },
        ),
      );
    else if (!rateOnly) return false;
    else if (derived.kind === "blank") {
      tally(this.blanks, rate);
      return true;
    } else if (this.markers.has(text.toLowerCase())) tally(this.withheld, text);
    else
      this.issues.push(
        makeIssue(
          "type-error",
          { ...this.where, line, column: rate },
          {
            column: rate,
            value: text,
            expected: "a rate (a number, a percent such as `42%`, or a range such as `< 30%`)",
            detail:
              "or, if it is the agency's marker for a withheld value, list it under the extract's `suppressed:` (or `notApplicable:`) in partners.yaml",
          },
        ),
      );
    return false;
  }

  /** The file's summary of its rates, after the last row; `rateTargets` names the field each rate fills. */
  report(rateTargets: ReadonlyMap<string, string>): void {
    const { issues, where } = this;
    for (const s of this.stats.values()) {
      if (s.derived > 0)
        issues.push(
          makeIssue(
            "count-derived",
            { ...where, column: s.rate },
            {
              count: s.derived,
              column: rateTargets.get(s.rate) ?? s.rate,
              value: s.rate,
              other: s.of,
              detail: s.bounded > 0 ? `${s.bounded} rates given as a range were kept as bounds, not counts` : "",
            },
          ),
        );
      const ranged = [...s.ranges.values()].reduce((n, c) => n + c, 0);
      if (s.noCount > 0)
        issues.push(
          makeIssue(
            "rate-without-count",
            { ...where, column: s.rate },
            {
              count: s.noCount,
              value: s.rate,
              detail: `${
                s.of === ""
                  ? "the file gives no count for any of them"
                  : `the count in \`${s.of}\` was blank or withheld on those rows`
              }${ranged > 0 ? `; ${ranged} of them were given only as a range: ${listTally(s.ranges)}` : ""}`,
            },
          ),
        );
    }
    if (this.withheld.size > 0)
      issues.push(
        makeIssue("source-suppressed", where, {
          count: [...this.withheld.values()].reduce((n, c) => n + c, 0),
          value: listTally(this.withheld, false),
        }),
      );
    if (this.blankRows > 0)
      issues.push(
        makeIssue(
          "blank-rate",
          { ...where, column: this.blanks.size === 1 ? [...this.blanks.keys()][0]! : null },
          { count: this.blankRows, detail: listTally(this.blanks) },
        ),
      );
  }
}

function tally(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** `\`< 30%\` ×315, \`> 75%\` ×32`, in the order first seen; `quoted: false` as the validation's marker list. */
function listTally(counts: ReadonlyMap<string, number>, quoted = true): string {
  return [...counts].map(([k, n]) => `${quoted ? `\`${k}\`` : k} ×${n}`).join(", ");
}
