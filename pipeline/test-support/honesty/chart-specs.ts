/** What the charts draw: no line across a year the tables do not have, no frame with nothing in it. */
import type { Report } from "./finding.ts";
import type { EmbeddedSpec } from "./page-text.ts";

/** Checks the data behind each chart against the years the indicator publishes. */
export function checkChartSpecs(specs: readonly EmbeddedSpec[], years: ReadonlySet<number>, report: Report): void {
  for (const spec of specs) {
    for (const data of spec.data) {
      const series = new Map<string, number[]>();
      for (const row of data.values) {
        if (typeof row.year !== "number" || !("segment" in row) || row.value === null) continue;
        const key = `${String(row.group ?? "")}|${String(row.segment)}`;
        series.set(key, [...(series.get(key) ?? []), row.year]);
      }
      for (const [key, list] of series) {
        const sorted = [...list].sort((a, b) => a - b);
        for (let i = 1; i < sorted.length; i++) {
          const from = sorted[i - 1] ?? 0;
          const to = sorted[i] ?? 0;
          const skipped = [...years].filter((y) => y > from && y < to);
          if (skipped.length > 0)
            report(
              "line-across-missing-year",
              `${spec.id} (${key.split("|")[0] || "everyone"})`,
              `one line runs from ${from} to ${to} across ${skipped.join(", ")}`,
            );
        }
      }
    }
    const bars = spec.data.flatMap((d) =>
      d.values.filter((row) => "group" in row && "value" in row && !("year" in row)),
    );
    if (bars.length > 0 && bars.every((row) => row.value === null))
      report("empty-chart", spec.id, `every one of its ${bars.length} bars is hidden or withheld`);
  }
}
