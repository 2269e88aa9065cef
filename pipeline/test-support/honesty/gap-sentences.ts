/** "Students with disabilities, 10.7 points behind everyone, narrowing since 2020–21", re-derived. */
import { type GapTrend, gapTrend } from "./chance.ts";
import type { Report } from "./finding.ts";
import { type ClaimWords, roundTo, shownNumber, yearOf } from "./page-text.ts";
import type { Figure, PublishedTables } from "./published-tables.ts";

/** A group's label on the page and the figure its table row shows ("ambiguous" where two share a label). */
export type LabelledFigures = Map<string, Figure | "ambiguous">;

interface GapClaim {
  text: string;
  label: string;
  points: string;
  behind: boolean;
  reference: string;
  year: number;
  fromYear: number | undefined;
  /** What the page says the gap did; undefined where it says nothing of it. */
  says: GapTrend | "not narrowing" | "not changed" | undefined;
}

const SAYS: Record<string, GapClaim["says"]> = {
  narrowing: "narrowing",
  narrowed: "narrowing",
  "que se reduce": "narrowing",
  reducido: "narrowing",
  widened: "widening",
  ampliado: "widening",
  "not narrowing": "not narrowing",
  "que no se reduce": "not narrowing",
  "not changed": "not changed",
  "mantenido igual": "not changed",
};

function claimsOn(text: string, words: ClaimWords): GapClaim[] {
  const claims: GapClaim[] = [];
  for (const list of text.matchAll(words.gapList)) {
    const year = yearOf(list[1] ?? "");
    for (const item of (list[2] ?? "").split("; ")) {
      const m = words.gapItem.exec(item);
      if (!m) continue;
      claims.push({
        text: item,
        label: m[1] ?? "",
        points: m[2] ?? "",
        behind: /behind|detrás/.test(m[3] ?? ""),
        reference: m[4] ?? "",
        year,
        fromYear: m[6] === undefined ? undefined : yearOf(m[6]),
        says: SAYS[m[5] ?? ""],
      });
    }
  }
  for (const m of text.matchAll(words.gapTrendSentence)) {
    claims.push({
      text: m[0],
      label: m[2] ?? "",
      points: m[3] ?? "",
      behind: /behind|detrás/.test(m[4] ?? ""),
      reference: m[5] ?? "",
      year: yearOf(m[1] ?? ""),
      fromYear: yearOf(m[6] ?? ""),
      says: SAYS[m[8] ?? ""],
    });
  }
  return claims;
}

export function checkGapSentences(
  text: string,
  labelled: LabelledFigures,
  tables: PublishedTables,
  indicator: string,
  words: ClaimWords,
  z: number,
  report: Report,
): void {
  for (const claim of claimsOn(text, words)) {
    const shown = labelled.get(claim.label);
    if (shown === undefined || shown === "ambiguous" || claim.reference !== words.everyone) continue;
    const find = (year: number, dimension: string, group: string) =>
      tables.figures.find(
        (f) =>
          f.indicator === indicator &&
          f.year === year &&
          f.geoLevel === "community" &&
          f.dimension === dimension &&
          f.group === group,
      );
    const published = tables.gaps.find(
      (g) =>
        g.indicator === indicator &&
        g.year === claim.year &&
        g.geoLevel === "community" &&
        g.dimension === shown.dimension &&
        g.group === shown.group &&
        g.reference === "overall",
    );
    const points = shownNumber(claim.points);
    if (published?.gap != null) {
      if (roundTo(Math.abs(published.gap * 100), points.decimals) !== points.value || published.behind !== claim.behind)
        report(
          "value-misstated",
          claim.text,
          `gaps.csv: ${(published.gap * 100).toFixed(3)} points, behind ${published.behind}`,
        );
    }
    if (claim.fromYear === undefined || (claim.says !== "narrowing" && claim.says !== "widening")) continue;
    const gf = find(claim.fromYear, shown.dimension, shown.group);
    const gt = find(claim.year, shown.dimension, shown.group);
    const rf = find(claim.fromYear, "all", "all");
    const rt = find(claim.year, "all", "all");
    if (!gf || !gt || !rf || !rt) continue;
    const trend = gapTrend({ from: gf, to: gt }, { from: rf, to: rt }, z);
    if (trend !== claim.says)
      report("gap-trend-unsupported", claim.text, `from the published counts the gap's change is: ${trend}`);
  }
}
