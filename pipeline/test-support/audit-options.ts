import type { Highs } from "highs";
import type { Indicator } from "../../schemas/index.ts";
import type { AuditOptions, Quantity } from "./privacy-audit.ts";

/** The privacy policy as the catalog and config state it, read here rather than from the protect stage. */
export function auditOptionsFor(
  highs: Highs,
  indicators: readonly Indicator[],
  { minimumCount, counted }: { minimumCount: number; counted: readonly Quantity[] },
): AuditOptions {
  const byId = new Map(indicators.map((i) => [i.id, i]));
  // Indicators that take their denominator from the same column of the same extract count the same people.
  const families = new Map<string, string[]>();
  for (const i of indicators)
    for (const s of i.sources) {
      const key = `${s.schema}|${s.kind === "aggregate" ? `${s.filter ?? ""}|${s.denominator}` : s.denominator}`;
      families.set(key, [...(families.get(key) ?? []), i.id]);
    }
  return {
    highs,
    // The catalog is public (the methods page describes it): a reader knows what it says of relations.
    relations: indicators.flatMap((i) =>
      i.relations.map((r) => ({
        left: { indicator: i.id, quantity: r.count },
        right: { indicator: r.of, quantity: r.equals },
        yearOffset: r.yearOffset,
      })),
    ),
    policy: (id: string) => {
      const i = byId.get(id);
      return {
        minimumCount: i?.privacy?.minimumCount ?? i?.minimumN ?? minimumCount,
        counted: i?.privacy?.counted ?? counted,
      };
    },
    sameDenominators: [...families.values()].filter((ids) => ids.length > 1),
    partialDimensions: Object.fromEntries(indicators.map((i) => [i.id, i.partialDimensions])),
  };
}
