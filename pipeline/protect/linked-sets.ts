import type { Indicator } from "../../schemas/index.ts";
import { type Observation, observationKey } from "../observation.ts";

/**
 * Cells whose counts a reader can relate. `sum`: the parts add up to the total (the groups of a
 * dimension, including `unknown`, to the all-children cell; the districts to the community); where
 * `rest` is true, the parts and a rest that is never published add up to the total (the groups of
 * a dimension an indicator lists in `partialDimensions`). `same`: one count published under
 * several indicators (one cohort feeding two indicators).
 */
export type LinkedSet =
  | { kind: "sum"; key: string; total: Observation; parts: Observation[]; rest: boolean }
  | { kind: "same"; key: string; cells: Observation[] };

/**
 * Every linked set of the table, sorted by key and with members in key order, so the same table
 * always protects the same way. A sum needs its total cell; a lone cell links nothing.
 */
export function linkedSets(cells: readonly Observation[], indicators: readonly Indicator[] = []): LinkedSet[] {
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

  const shared = sharedSources(indicators);
  const same = new Map<string, Observation[]>();
  for (const o of cells) {
    const family = shared.get(o.indicator);
    if (family === undefined || o.denominator === null) continue;
    const key = `same|${family}|${o.year}|${o.geo_level}|${o.geo_id}|${o.dimension}|${o.group}|${o.denominator}`;
    const list = same.get(key);
    if (list) list.push(o);
    else same.set(key, [o]);
  }
  for (const [key, list] of byKey(same)) if (list.length > 1) sets.push({ kind: "same", key, cells: sortCells(list) });
  return sets;
}

/**
 * Indicators fed, directly or through one another, by a common extract schema, as families:
 * indicator id → its family's first indicator id. Indicators alone on their schemas are left out.
 */
function sharedSources(indicators: readonly Indicator[]): Map<string, string> {
  const parent = new Map<string, string>();
  const root = (id: string): string => {
    const p = parent.get(id) ?? id;
    return p === id ? id : root(p);
  };
  const firstBySchema = new Map<string, string>();
  for (const i of [...indicators].sort((a, b) => (a.id < b.id ? -1 : 1)))
    for (const s of i.sources) {
      const first = firstBySchema.get(s.schema);
      if (first === undefined) firstBySchema.set(s.schema, i.id);
      else if (root(i.id) !== root(first)) parent.set(root(i.id), root(first));
    }
  const family = new Map<string, string>();
  for (const i of indicators) if (parent.has(i.id) || [...parent.values()].includes(i.id)) family.set(i.id, root(i.id));
  return family;
}
