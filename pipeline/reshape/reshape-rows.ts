import {
  DIMENSIONS,
  type District,
  type ExtractMapping,
  type ExtractSchema,
  type FieldSource,
  type Vocabulary,
} from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import type { RawRow } from "../rows/raw-row.ts";
import { normalizeLabel, parseDecimal } from "../values/parse-values.ts";
import { indexVocabulary, type VocabularyIndex } from "../values/vocabulary-index.ts";
import { deriveCount } from "./derive-count.ts";
import { mappedColumnKeys, mappingColumnIssue } from "./mapping-columns.ts";

/** What reshaping one file needs besides its header: the target schema and the partnership's words. */
export interface ReshapeContext {
  mapping: ExtractMapping;
  schema: ExtractSchema;
  percentScale: "percent" | "fraction";
  vocabularies: ReadonlyMap<string, Vocabulary>;
  districts: readonly District[];
  /**
   * The extract's markers (`suppressed` and `notApplicable`). A rate-only row is never handed on to
   * validation, so its markers are told apart here: withheld, never an error.
   */
  markers: readonly string[];
  where: IssueLocation;
  /** Where the mapping is in partners.yaml (`partners[1].extracts[0].mapping`), for the issues that blame it. */
  mappingKey?: string;
}

/** One source row seen as named cells: the file's columns, plus any names `unpivot` captured. */
type RecordGet = (name: string) => string | undefined;

interface Unit {
  captures: Record<string, string>;
  /** Measure name → column index. */
  slots: Map<string, number>;
}

/** Turns the rows of an agency file into rows of the target schema, as the mapping says. */
export interface Reshaper {
  /** Source data rows in, target rows out (cells in the schema's field order). */
  reshape(cells: readonly string[], line: number): RawRow[];
  /** Rows held back until the end (a pivot), then the summary issues. */
  finish(): RawRow[];
  issues: Issue[];
  /** Target rows made or left out by the mapping: what "rows read" means for a mapped file. */
  rowsSeen: number;
}

/**
 * Compiles a mapping against a file's header. Returns the issues instead when the mapping names a
 * column the file does not have (no row could be used then).
 */
export function createReshaper(header: readonly string[], ctx: ReshapeContext): Reshaper | { issues: Issue[] } {
  const { mapping, schema, where } = ctx;
  const issues: Issue[] = [];
  const columnOf = new Map<string, number>();
  header.forEach((h, i) => {
    if (!columnOf.has(h)) columnOf.set(h, i);
  });
  header.forEach((h, i) => {
    const key = normalizeLabel(h);
    if (key && !columnOf.has(key)) columnOf.set(key, i);
  });
  const findColumn = (name: string): number | undefined => columnOf.get(name) ?? columnOf.get(normalizeLabel(name));

  // Wide → long: columns whose name matches become slots of units keyed by their other captures.
  const units: Unit[] = [];
  const slotNames = new Set<string>();
  const captureNames = new Set<string>();
  const unpivoted = new Set<number>();
  if (mapping.unpivot) {
    const pattern = new RegExp(mapping.unpivot.columns, "u");
    const byKey = new Map<string, Unit>();
    header.forEach((h, i) => {
      const m = pattern.exec(h);
      const groups = m?.groups;
      if (!groups || groups.measure === undefined) return;
      const captures: Record<string, string> = {};
      for (const [k, v] of Object.entries(groups)) if (k !== "measure" && v !== undefined) captures[k] = v;
      const key = JSON.stringify(captures);
      let unit = byKey.get(key);
      if (!unit) {
        unit = { captures, slots: new Map() };
        byKey.set(key, unit);
        units.push(unit);
      }
      unit.slots.set(groups.measure, i);
      slotNames.add(groups.measure);
      for (const k of Object.keys(captures)) captureNames.add(k);
      unpivoted.add(i);
    });
    if (units.length === 0)
      issues.push(
        makeIssue(
          "missing-column",
          { ...where, line: mapping.headerRows, column: mapping.unpivot.columns },
          {
            column: mapping.unpivot.columns,
            detail: "no column's name matches the mapping's `unpivot.columns` pattern",
          },
        ),
      );
  } else units.push({ captures: {}, slots: new Map() });

  const variants = mapping.rows ?? [{}];
  /** The target field each rate column fills, for messages. */
  const rateTargets = new Map<string, string>();
  for (const v of variants)
    for (const [field, source] of Object.entries({ ...mapping.fields, ...v }))
      if (source.rate !== undefined) rateTargets.set(source.rate, field);
  const plans = variants.map((variant) => {
    const fields: Record<string, FieldSource> = { ...mapping.fields, ...variant };
    return schema.fields.map((f) => fields[f.name] ?? null);
  });

  // Every column the mapping names must exist, unless a pivot makes its columns from the data.
  const named = new Set<string>();
  for (const plan of plans)
    for (const s of plan) for (const c of [s?.column, s?.rate, s?.of]) if (c !== undefined) named.add(c);
  for (const k of mapping.keep) named.add(k.column);
  const pivot = mapping.pivot;
  const pivotKeys = new Set(pivot?.keys ?? []);
  if (pivot) for (const c of [...pivot.keys, ...pivot.names, pivot.value]) named.add(c);
  const keyOf = mappedColumnKeys(mapping, ctx.mappingKey ?? "mapping");
  for (const name of named) {
    const known =
      findColumn(name) !== undefined || slotNames.has(name) || captureNames.has(name) || (pivot && !isSourceOnly(name));
    // The analyst's configuration names the column: the issue says where in partners.yaml.
    if (!known) issues.push(mappingColumnIssue(name, where, mapping.headerRows, keyOf.get(name), header));
  }
  function isSourceOnly(name: string): boolean {
    // With a pivot, the key, name and value columns must be the file's own; the rest come from the data.
    return pivot !== undefined && (pivot.keys.includes(name) || pivot.names.includes(name) || pivot.value === name);
  }
  if (issues.length > 0) return { issues };

  const vocabIndex = new Map<string, VocabularyIndex>();
  const indexOf = (id: string): VocabularyIndex | undefined => {
    let index = vocabIndex.get(id);
    const vocabulary = ctx.vocabularies.get(id);
    if (!index && vocabulary) {
      index = indexVocabulary(vocabulary);
      vocabIndex.set(id, index);
    }
    return index;
  };
  const districtKeys = new Set(ctx.districts.flatMap((d) => [d.id, d.name, ...d.codes]).map((c) => normalizeLabel(c)));
  const districtField = schema.roles.district ? schema.fields.findIndex((f) => f.name === schema.roles.district) : -1;

  const keepLeftOut = mapping.keep.map(() => 0);
  const keepTests = mapping.keep.map((k) => {
    if (k.values) {
      const allowed = new Set(k.values.map((v) => v.trim()));
      return (text: string) => allowed.has(text.trim());
    }
    const re = new RegExp(k.pattern as string, "u");
    return (text: string) => re.test(text);
  });
  let otherDistricts = 0;
  const otherExamples = new Set<string>();
  interface RateStats {
    derived: number;
    bounded: number;
    noCount: number;
    /** Of the `noCount` rates, those given only as a range (`< 30%`), by text. */
    ranges: Map<string, number>;
    rate: string;
    of: string;
  }
  const rateStats = new Map<string, RateStats>();
  const markers = new Set(ctx.markers.map((m) => m.trim().toLowerCase()).filter((m) => m !== ""));
  // What became of the rate cells of rows never handed on (a rate with no count): markers by text, blanks by column.
  const withheld = new Map<string, number>();
  const blanks = new Map<string, number>();
  let blankRows = 0;
  let rowsSeen = 0;

  const derive = (source: FieldSource, get: RecordGet) =>
    deriveCount(
      get(source.rate as string) ?? "",
      source.of === undefined ? undefined : (get(source.of) ?? ""),
      ctx.percentScale,
    );

  /**
   * Tallies what became of a rate, for the report; a rate over 100% is an error on its line. In a
   * row that is not handed on (`rateOnly`), a marker or a blank is accounted for here too: a
   * listed marker is withheld, any other text is not a rate. Returns whether the rate was blank.
   */
  const countRate = (source: FieldSource, get: RecordGet, line: number, rateOnly: boolean): boolean => {
    const rate = source.rate as string;
    const text = (get(rate) ?? "").trim();
    const derived = derive(source, get);
    const stats = rateStats.get(rate) ?? {
      derived: 0,
      bounded: 0,
      noCount: 0,
      ranges: new Map<string, number>(),
      rate,
      of: source.of ?? "",
    };
    rateStats.set(rate, stats);
    if (derived.kind === "count") stats.derived++;
    else if (derived.kind === "bounded") stats.bounded++;
    else if (derived.kind === "no-count") {
      stats.noCount++;
      if (derived.bounded) tally(stats.ranges, text);
    } else if (derived.kind === "exceeds")
      issues.push(
        makeIssue(
          "rate-exceeds-one",
          { ...where, line, column: rate },
          { column: rate, value: text, detail: `a share of ${derived.share.toFixed(4)}` },
        ),
      );
    else if (!rateOnly) return false;
    else if (derived.kind === "blank") {
      tally(blanks, rate);
      return true;
    } else if (markers.has(text.toLowerCase())) tally(withheld, text);
    else
      issues.push(
        makeIssue(
          "type-error",
          { ...where, line, column: rate },
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
  };

  const resolve = (source: FieldSource, get: RecordGet): string | null => {
    if (source.rate !== undefined) {
      const derived = derive(source, get);
      return derived.kind === "exceeds" ? null : derived.cell;
    }
    let text = source.value ?? get(source.column as string) ?? "";
    if (source.match !== undefined) {
      const m = new RegExp(source.match, "u").exec(text);
      if (m) text = m.groups?.value ?? m[1] ?? m[0];
    }
    if (source.add !== undefined && /^\s*\d+\s*$/.test(text)) text = String(Number(text) + source.add);
    if (source.map !== undefined) {
      const key = normalizeLabel(text);
      for (const [from, to] of Object.entries(source.map))
        if (normalizeLabel(from) === key) {
          text = to;
          break;
        }
    }
    if (source.crosswalk !== undefined) {
      const code = indexOf(source.crosswalk.from)?.lookup(text);
      const group = ctx.vocabularies.get(source.crosswalk.from)?.groups.find((g) => g.code === code);
      const to = group?.crosswalk?.[source.crosswalk.to];
      if (to !== undefined) text = to;
    }
    if (source.dimensionOf) text = dimensionOf(text) ?? text;
    if (source.round) {
      const n = parseDecimal(text);
      if (n !== undefined) text = String(Math.round(n));
    }
    return text;
  };

  /** The dimension whose vocabulary holds a group label; `all` for a total. */
  const dimensionOf = (label: string): string | undefined => {
    if (indexOf("dimension")?.lookup(label) === "all") return "all";
    return DIMENSIONS.find((d) => indexOf(d)?.lookup(label) !== undefined);
  };

  const emit = (get: RecordGet, line: number): RawRow[] => {
    const out: RawRow[] = [];
    for (const plan of plans) {
      rowsSeen++;
      const cells: string[] = [];
      let dropped = false;
      plan.forEach((source) => {
        if (dropped) return;
        if (source === null) {
          cells.push("");
          return;
        }
        const cell = resolve(source, get);
        if (cell === null) dropped = true;
        else cells.push(cell);
      });
      if (mapping.skipOtherDistricts && districtField >= 0) {
        const district = cells[districtField] ?? "";
        if (district.trim() !== "" && !districtKeys.has(normalizeLabel(district))) {
          otherDistricts++;
          if (otherExamples.size < 3) otherExamples.add(district.trim());
          continue;
        }
      }
      // A rate with no count at all is reported, never handed on: it could not be protected or added up.
      const rateOnly = plan.some((s) => s?.rate !== undefined && s.of === undefined);
      let blank = false;
      for (const source of plan)
        if (source?.rate !== undefined) blank = countRate(source, get, line, rateOnly) || blank;
      if (blank) blankRows++;
      if (dropped || rateOnly) continue;
      out.push({ line, cells });
    }
    return out;
  };

  const passesKeep = (get: RecordGet): boolean => {
    for (let k = 0; k < keepTests.length; k++) {
      if (!keepTests[k]!(get(mapping.keep[k]!.column) ?? "")) {
        keepLeftOut[k]!++;
        rowsSeen += plans.length;
        return false;
      }
    }
    return true;
  };

  const held = new Map<string, { line: number; keys: Map<string, string>; wide: Map<string, string> }>();

  return {
    issues,
    get rowsSeen() {
      return rowsSeen;
    },
    reshape(cells, line) {
      const cellOf = (name: string): string | undefined => {
        const c = findColumn(name);
        return c === undefined ? undefined : (cells[c] ?? "");
      };
      if (pivot) {
        if (!passesKeep(cellOf)) {
          rowsSeen -= plans.length;
          return [];
        }
        const keyCells = pivot.keys.map((k) => cellOf(k) ?? "");
        const key = JSON.stringify(keyCells);
        let entry = held.get(key);
        if (!entry) {
          entry = { line, keys: new Map(pivot.keys.map((k, i) => [k, keyCells[i]!])), wide: new Map() };
          held.set(key, entry);
        }
        entry.wide.set(pivot.names.map((n) => (cellOf(n) ?? "").trim()).join("!!"), cellOf(pivot.value) ?? "");
        return [];
      }
      const out: RawRow[] = [];
      for (const unit of units) {
        const get: RecordGet = (name) => {
          if (name in unit.captures) return unit.captures[name];
          const slot = unit.slots.get(name);
          if (slot !== undefined) return cells[slot] ?? "";
          const c = findColumn(name);
          return c === undefined || unpivoted.has(c) ? undefined : (cells[c] ?? "");
        };
        if (!passesKeep(get)) continue;
        out.push(...emit(get, line));
      }
      return out;
    },
    finish() {
      const out: RawRow[] = [];
      if (pivot) {
        const made = new Set<string>();
        for (const entry of held.values()) for (const name of entry.wide.keys()) made.add(name);
        const missing = [...named].filter((n) => !pivotKeys.has(n) && !isSourceOnly(n) && !made.has(n));
        for (const name of missing)
          issues.push(
            makeIssue(
              "missing-column",
              { ...where, line: null, column: name },
              {
                column: name,
                detail: `a column the mapping expects the pivot to make from \`${pivot.names.join("`, `")}\`; none of the rows makes it`,
              },
            ),
          );
        if (missing.length === 0)
          for (const entry of held.values()) {
            const get: RecordGet = (name) => entry.keys.get(name) ?? entry.wide.get(name);
            out.push(...emit(get, entry.line));
          }
      }
      mapping.keep.forEach((k, i) => {
        const count = keepLeftOut[i]!;
        if (count > 0)
          issues.push(
            makeIssue(
              "rows-left-out",
              { ...where, column: k.column },
              {
                count,
                column: k.column,
                detail:
                  k.reason ??
                  `their \`${k.column}\` is not ${k.values ? k.values.map((v) => `\`${v}\``).join(" or ") : `matched by \`${k.pattern}\``}`,
              },
            ),
          );
      });
      if (otherDistricts > 0)
        issues.push(
          makeIssue(
            "rows-left-out",
            { ...where, column: schema.roles.district ?? null },
            {
              count: otherDistricts,
              detail: `they are of places that are not among the partnership's districts in c2c.config.yaml (e.g. ${[...otherExamples].map((e) => `\`${e}\``).join(", ")})`,
            },
          ),
        );
      for (const s of rateStats.values()) {
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
      if (withheld.size > 0)
        issues.push(
          makeIssue("source-suppressed", where, {
            count: [...withheld.values()].reduce((n, c) => n + c, 0),
            value: listTally(withheld, false),
          }),
        );
      if (blankRows > 0)
        issues.push(
          makeIssue(
            "blank-rate",
            { ...where, column: blanks.size === 1 ? [...blanks.keys()][0]! : null },
            { count: blankRows, detail: listTally(blanks) },
          ),
        );
      return out;
    },
  };
}

function tally(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** `\`< 30%\` ×315, \`> 75%\` ×32`, in the order first seen; `quoted: false` as the validation's marker list. */
function listTally(counts: ReadonlyMap<string, number>, quoted = true): string {
  return [...counts].map(([k, n]) => `${quoted ? `\`${k}\`` : k} ×${n}`).join(", ");
}
