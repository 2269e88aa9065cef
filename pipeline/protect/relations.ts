import type { CountedQuantity, Indicator } from "../../schemas/index.ts";
import type { Observation } from "../observation.ts";

/** One count of one indicator. */
export interface RelationEnd {
  indicator: string;
  count: CountedQuantity;
}

/**
 * `left.count` of `left.indicator` in a year is the same number of people as `right.count` of
 * `right.indicator` in that year plus `yearOffset`, for every place, dimension and group both have.
 * `declared` in the catalog (`relations:`); `definition`: the two count the same rows of the same
 * extract; `detected`: every cell both publish agrees, so a reader would take them as related.
 */
export interface Relation {
  left: RelationEnd;
  right: RelationEnd;
  yearOffset: number;
  origin: "declared" | "definition" | "detected";
  /** Cells where both counts are known, and how many of those agree. */
  compared: number;
  agreeing: number;
}

const COUNTS: readonly CountedQuantity[] = ["numerator", "denominator", "complement"];

/** The relations the catalog declares, and those its definitions imply. */
export function catalogRelations(indicators: readonly Indicator[]): Relation[] {
  const ids = new Set(indicators.map((i) => i.id));
  const relations: Relation[] = [];
  for (const i of indicators)
    for (const r of i.relations)
      if (ids.has(r.of))
        relations.push(
          relation({ indicator: i.id, count: r.count }, { indicator: r.of, count: r.equals }, r.yearOffset, "declared"),
        );
  // Two indicators that count the same rows of the same extract (one cohort, two outcomes) have one denominator.
  const bySource = new Map<string, string[]>();
  for (const i of indicators)
    for (const s of i.sources) {
      const key = `${s.schema}|${s.kind === "aggregate" ? `${s.filter ?? ""}|${s.denominator}` : s.denominator}`;
      const list = bySource.get(key) ?? [];
      if (!list.includes(i.id)) list.push(i.id);
      bySource.set(key, list);
    }
  for (const list of bySource.values()) {
    const [first, ...rest] = [...list].sort();
    for (const other of rest)
      relations.push(
        relation(
          { indicator: first as string, count: "denominator" },
          { indicator: other, count: "denominator" },
          0,
          "definition",
        ),
      );
  }
  return dedupe(relations);
}

/**
 * Relations a reader would find in the cells given (each cell's counts as published, null where
 * hidden): two counts that agree in every cell where both are known, in at least `minimumAgreeing`
 * cells with people in them, and that no relation in `known` already says. Every pair of
 * indicators, every pair of counts and every year offset the years allow is tried.
 */
export function detectRelations(
  cells: readonly Observation[],
  known: readonly Relation[],
  minimumAgreeing = 2,
): Relation[] {
  const byIndicator = new Map<string, Map<string, Observation>>();
  const years = new Map<string, { min: number; max: number }>();
  for (const o of cells) {
    const own = byIndicator.get(o.indicator) ?? new Map<string, Observation>();
    own.set(placeKey(o, o.year), o);
    byIndicator.set(o.indicator, own);
    const y = years.get(o.indicator);
    years.set(
      o.indicator,
      y ? { min: Math.min(y.min, o.year), max: Math.max(y.max, o.year) } : { min: o.year, max: o.year },
    );
  }
  const said = new Set(known.flatMap((r) => [signature(r), signature(flip(r))]));
  const ids = [...byIndicator.keys()].sort();
  const found: Relation[] = [];
  for (const a of ids)
    for (const b of ids) {
      if (b < a) continue;
      const ya = years.get(a) as { min: number; max: number };
      const yb = years.get(b) as { min: number; max: number };
      for (let offset = yb.min - ya.max; offset <= yb.max - ya.min; offset++) {
        if (a === b && offset <= 0) continue;
        const pairs: [Observation, Observation][] = [];
        const right = byIndicator.get(b) as Map<string, Observation>;
        for (const o of (byIndicator.get(a) as Map<string, Observation>).values()) {
          const other = right.get(placeKey(o, o.year + offset));
          if (other) pairs.push([o, other]);
        }
        if (pairs.length < minimumAgreeing) continue;
        for (const qa of COUNTS)
          for (const qb of COUNTS) {
            const r = relation({ indicator: a, count: qa }, { indicator: b, count: qb }, offset, "detected");
            if (said.has(signature(r))) continue;
            const { compared, agreeing, people } = compare(pairs, qa, qb);
            if (compared > 0 && agreeing === compared && people >= minimumAgreeing)
              found.push({ ...r, compared, agreeing });
          }
      }
    }
  return found;
}

/** How many cells each relation can be compared in, and how many agree (counts as published). */
export function compareRelations(relations: readonly Relation[], cells: readonly Observation[]): Relation[] {
  const byKey = new Map(cells.map((o) => [`${o.indicator}|${placeKey(o, o.year)}`, o]));
  return relations.map((r) => {
    const pairs = relatedPairs(r, cells, byKey).map(({ left, right }): [Observation, Observation] => [left, right]);
    const { compared, agreeing } = compare(pairs, r.left.count, r.right.count, false);
    return { ...r, compared, agreeing };
  });
}

/** The cells a relation ties together: each cell of its left indicator, with the right indicator's cell it equals. */
export function relatedPairs(
  r: Relation,
  cells: readonly Observation[],
  byKey: ReadonlyMap<string, Observation> = new Map(cells.map((o) => [`${o.indicator}|${placeKey(o, o.year)}`, o])),
): { left: Observation; right: Observation }[] {
  const out: { left: Observation; right: Observation }[] = [];
  for (const o of cells) {
    if (o.indicator !== r.left.indicator) continue;
    const other = byKey.get(`${r.right.indicator}|${placeKey(o, o.year + r.yearOffset)}`);
    if (other && other !== o) out.push({ left: o, right: other });
  }
  return out;
}

/**
 * The cells a relation ties to a cell that the table does not have, where that indicator reports
 * the dimension that year (for any place). A reader takes a missing group, or a missing district,
 * for zero: with a relation, that zero is another cell's count (no enrollment row for nonbinary
 * graduates says that the one nonbinary student in the graduation cohort did not graduate; no
 * enrollment rows for a district say that none of its students graduated). Each is returned as a
 * hidden cell with no counts, so the site shows it as hidden, never as absent.
 */
export function absentRelatedCells(cells: readonly Observation[], relations: readonly Relation[]): Observation[] {
  const have = new Set(cells.map((o) => `${o.indicator}|${placeKey(o, o.year)}`));
  const families = new Set(cells.map((o) => `${o.indicator}|${o.year}|${o.dimension}`));
  const added = new Map<string, Observation>();
  const complete = (from: Observation, indicator: string, year: number) => {
    const key = `${indicator}|${placeKey(from, year)}`;
    if (have.has(key) || added.has(key)) return;
    if (!families.has(`${indicator}|${year}|${from.dimension}`)) return;
    added.set(key, {
      indicator,
      year,
      geo_level: from.geo_level,
      geo_id: from.geo_id,
      dimension: from.dimension,
      group: from.group,
      numerator: null,
      denominator: null,
      value: null,
      lower: null,
      upper: null,
      flag: "suppressed",
      sources: [],
    });
  };
  for (const r of relations)
    for (const o of cells) {
      if (o.indicator === r.left.indicator) complete(o, r.right.indicator, o.year + r.yearOffset);
      if (o.indicator === r.right.indicator) complete(o, r.left.indicator, o.year - r.yearOffset);
    }
  return [...added.values()].sort((a, b) => (observationKeyOf(a) < observationKeyOf(b) ? -1 : 1));
}

function observationKeyOf(o: Observation): string {
  return `${o.indicator}|${placeKey(o, o.year)}`;
}

/** A cell's count as it stands: null where it is not known (hidden, withheld). */
export function shownCount(o: Pick<Observation, "numerator" | "denominator">, q: CountedQuantity): number | null {
  if (q === "numerator") return o.numerator;
  if (q === "denominator") return o.denominator;
  return o.numerator === null || o.denominator === null ? null : o.denominator - o.numerator;
}

/** A relation as a sentence, for the build summary: "postsecondary-enrollment's denominator is …". */
export function describeRelation(r: Relation): string {
  const year =
    r.yearOffset === 0
      ? "the same year"
      : `${Math.abs(r.yearOffset)} year${Math.abs(r.yearOffset) === 1 ? "" : "s"} ${r.yearOffset > 0 ? "later" : "earlier"}`;
  return `${r.left.indicator}'s ${r.left.count} is ${r.right.indicator}'s ${r.right.count} (${year})`;
}

/** Pairs whose counts are both known, how many agree, and how many of those hold people; by default, only up to the first that disagrees. */
function compare(
  pairs: readonly [Observation, Observation][],
  qa: CountedQuantity,
  qb: CountedQuantity,
  stopAtFirst = true,
): { compared: number; agreeing: number; people: number } {
  let compared = 0;
  let agreeing = 0;
  let people = 0;
  for (const [x, y] of pairs) {
    const u = shownCount(x, qa);
    const v = shownCount(y, qb);
    if (u === null || v === null) continue;
    compared++;
    if (u !== v) {
      if (stopAtFirst) return { compared, agreeing, people };
      continue;
    }
    agreeing++;
    if (u > 0) people++;
  }
  return { compared, agreeing, people };
}

function relation(left: RelationEnd, right: RelationEnd, yearOffset: number, origin: Relation["origin"]): Relation {
  return { left, right, yearOffset, origin, compared: 0, agreeing: 0 };
}

function flip(r: Relation): Relation {
  return { ...r, left: r.right, right: r.left, yearOffset: -r.yearOffset };
}

function signature(r: Relation): string {
  return `${r.left.indicator}.${r.left.count}|${r.right.indicator}.${r.right.count}|${r.yearOffset}`;
}

/** One relation for each pair of counts, the first found; the same relation written from its other end is the same. */
function dedupe(relations: readonly Relation[]): Relation[] {
  const seen = new Set<string>();
  return relations.filter((r) => {
    const keys = [signature(r), signature(flip(r))];
    if (keys.some((k) => seen.has(k))) return false;
    for (const k of keys) seen.add(k);
    return true;
  });
}

function placeKey(o: Pick<Observation, "geo_level" | "geo_id" | "dimension" | "group">, year: number): string {
  return `${year}|${o.geo_level}|${o.geo_id}|${o.dimension}|${o.group}`;
}
