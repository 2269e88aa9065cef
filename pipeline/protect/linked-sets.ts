import type { CountedQuantity, Indicator } from "../../schemas/index.ts";
import { type Observation, observationKey } from "../observation.ts";
import { countOf } from "./privacy-policy.ts";
import { type Relation, relatedPairs } from "./relations.ts";

/** One count of one cell. */
export interface LinkedCount {
  cell: Observation;
  count: CountedQuantity;
}

/**
 * Cells whose counts a reader can relate. `sum`: the parts add up to the total (the groups of a
 * dimension, including `unknown`, to the all-children cell; the districts to the community); where
 * `rest` is true, the parts and a rest that is never published add up to the total (the groups of
 * a dimension an indicator lists in `partialDimensions`). `same`: counts of several cells that are
 * the same people, through the relations between indicators (see `relations.ts`).
 */
export type LinkedSet =
  | { kind: "sum"; key: string; total: Observation; parts: Observation[]; rest: boolean }
  | { kind: "same"; key: string; members: LinkedCount[] };

/** The cells of a linked set. */
export function cellsOf(set: LinkedSet): Observation[] {
  return set.kind === "sum" ? [set.total, ...set.parts] : set.members.map((m) => m.cell);
}

/**
 * Every linked set of the table, sorted by key and with members in key order, so the same table
 * always protects the same way. A sum needs its total cell; a lone cell links nothing.
 */
export function linkedSets(
  cells: readonly Observation[],
  indicators: readonly Indicator[] = [],
  relations: readonly Relation[] = [],
): LinkedSet[] {
  const byKey = <T>(items: Iterable<[string, T]>) => [...items].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sortCells = (list: Observation[]) => list.sort((a, b) => (observationKey(a) < observationKey(b) ? -1 : 1));
  const groups = new Map<string, Observation[]>();
  const add = (key: string, o: Observation) => {
    const list = groups.get(key);
    if (list) list.push(o);
    else groups.set(key, [o]);
  };
  const totals = new Map<string, Observation>();
  for (const o of cells) {
    const place = `${o.indicator}|${o.year}|${o.geo_level}|${o.geo_id}`;
    if (o.dimension === "all") totals.set(`dim|${place}`, o);
    else add(`dim|${place}|${o.dimension}`, o);
    if (o.geo_level === "community") totals.set(`geo|${o.indicator}|${o.year}|${o.dimension}|${o.group}`, o);
    else add(`geo|${o.indicator}|${o.year}|${o.dimension}|${o.group}`, o);
  }
  const partial = new Set(indicators.flatMap((i) => i.partialDimensions.map((d) => `${i.id}|${d}`)));
  const sets: LinkedSet[] = [];
  for (const [key, parts] of byKey(groups)) {
    const totalKey = key.startsWith("dim|") ? key.slice(0, key.lastIndexOf("|")) : key;
    const total = totals.get(totalKey);
    const first = parts[0] as Observation;
    // A partial dimension has a rest only where its groups leave some children out: where they
    // do cover everyone, they are linked as a whole dimension.
    const covered = total && parts.reduce((n, o) => n + (o.denominator ?? Number.NaN), 0) === total.denominator;
    const rest = key.startsWith("dim|") && partial.has(`${first.indicator}|${first.dimension}`) && !covered;
    if (total) sets.push({ kind: "sum", key, total, parts: sortCells(parts), rest });
  }

  sets.push(...sameSets(cells, relations));
  return sets;
}

/**
 * Counts that are the same people under two indicators (or years), joined into sets through every
 * relation. A pair whose counts are both known and differ is left out: there the relation does not
 * hold, and a reader who assumed it would be wrong.
 */
function sameSets(cells: readonly Observation[], relations: readonly Relation[]): LinkedSet[] {
  const parent = new Map<string, string>();
  const members = new Map<string, LinkedCount>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    parent.set(k, r);
    return r;
  };
  const node = (m: LinkedCount) => {
    const k = `${observationKey(m.cell)}|${m.count}`;
    if (!parent.has(k)) {
      parent.set(k, k);
      members.set(k, m);
    }
    return k;
  };
  const byKey = new Map(
    cells.map((o) => [`${o.indicator}|${o.year}|${o.geo_level}|${o.geo_id}|${o.dimension}|${o.group}`, o]),
  );
  for (const r of relations)
    for (const { left, right } of relatedPairs(r, cells, byKey)) {
      const [u, v] = [countOf(left, r.left.count), countOf(right, r.right.count)];
      if (u !== null && v !== null && u !== v) continue;
      const [a, b] = [
        find(node({ cell: left, count: r.left.count })),
        find(node({ cell: right, count: r.right.count })),
      ];
      // The smaller key is the root, so the same relations always give the same sets.
      if (a < b) parent.set(b, a);
      else if (b < a) parent.set(a, b);
    }
  const classes = new Map<string, LinkedCount[]>();
  for (const k of [...members.keys()].sort()) {
    const root = find(k);
    classes.set(root, [...(classes.get(root) ?? []), members.get(k) as LinkedCount]);
  }
  return [...classes.entries()]
    .filter(([, list]) => list.length > 1)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, list]) => ({ kind: "same", key: `same|${key}`, members: list }));
}
