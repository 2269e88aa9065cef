import type { Config, Dimension, ExtractSchema, Partner, Vocabulary } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import type { SegmentRepeat } from "../rows/repeat.ts";
import type { TypedRow, Withheld } from "../validate/validate-rows.ts";
import { normalizeLabel } from "../values/parse-values.ts";
import type { Value } from "../values/value.ts";
import { editDistance, indexVocabulary, type VocabularyIndex } from "../values/vocabulary-index.ts";
import type { KeySpill } from "./key-spill.ts";
import { hashKeyParts, type KeyHash, KeyTable } from "./key-table.ts";

/** A row in c2c's own vocabulary: canonical codes, a known district, a year, and for aggregate files its group. */
export interface NormalizedRow {
  line: number;
  year: number;
  /** The district's id in c2c.config.yaml; null for a source that covers the whole community. */
  district: string | null;
  school: string | null;
  values: Record<string, Value>;
  withheld: Record<string, Withheld> | null;
  /** Aggregate rows: the dimension and canonical group the row counts. */
  dimension: Dimension | "all" | null;
  group: string | null;
  /** The row's key, where an engine finds repeats after reading (the DuckDB engine); else null. */
  key: RowKey | null;
}

/** What finding repeats needs of a row, for an engine that finds them after reading. */
export interface RowKey {
  /** The primary key in canonical codes, lowercased: equal keys are repeats. */
  text: string;
  /** A hash of the whole row in canonical codes: equal for an exact repeat. */
  whole: number;
  /** The key's cells as the partner wrote them, for the message. */
  shown: string;
}

/** Everything normalization needs for one file, built once. */
export interface Normalizer {
  schema: ExtractSchema;
  where: IssueLocation;
  folderYear: number | null;
  /** Whether rows may be of other years than the folder's (a time-series file). */
  anyYear: boolean;
  partnerId: string;
  yearIndex: number;
  districtIndex: number;
  /**
   * The keys seen so far in this file, with their line and whole row: to find repeats across
   * chunks. Null when the engine finds repeats itself: each row then carries its `key`.
   */
  keys: KeyTable | null;
  /**
   * Where rows the key table finds repeated go instead of becoming issues, with their whole row's
   * hash: for a part of a file read in a thread of its own, whose lines are renumbered (and whose
   * first rows may repeat rows of the parts before it) once every part is read. Null: issues.
   */
  repeats: SegmentRepeat[] | null;
  /** For a large file: the keys go to disk, and repeats are found after reading (then `keys` is null). */
  spill: KeySpill | null;
  fieldNames: string[];
  primaryKey: string[];
  /** Scratch for one row's key, and its two hashes: filled row after row, never reallocated. */
  keyParts: string[];
  hashes: KeyHash;
  keyIndexes: number[];
  /** District codes with their leading zeros removed, to recognise ids a spreadsheet shortened. */
  unpadded: Map<string, { id: string; code: string }>;
  codeFields: { name: string; index: VocabularyIndex }[];
  districts: Map<string, string>;
  districtChoices: string;
  districtCodes: string[];
  districtCache: Map<string, string | null>;
  defaultDistrict: string | null;
  groupIndexes: ReadonlyMap<string, VocabularyIndex>;
  allLabels: VocabularyIndex;
}

export function createNormalizer(
  schema: ExtractSchema,
  partner: Partner,
  config: Config,
  vocabularies: ReadonlyMap<string, Vocabulary>,
  where: IssueLocation,
  folderYear: number | null,
  years: "folder" | "any" = "folder",
  options: { deferDuplicates?: boolean; repeats?: SegmentRepeat[]; spill?: KeySpill } = {},
): Normalizer {
  const vocab = (id: string) => {
    const v = vocabularies.get(id);
    if (!v) throw new Error(`vocabulary \`${id}\` is missing`);
    return indexVocabulary(v);
  };
  const districts = new Map<string, string>();
  const unpadded = new Map<string, { id: string; code: string }>();
  for (const d of config.districts)
    for (const code of [d.id, d.name, ...d.codes]) {
      districts.set(normalizeLabel(code), d.id);
      if (/^0+\d+$/.test(code)) unpadded.set(code.replace(/^0+/, ""), { id: d.id, code });
    }
  const groupIndexes = new Map<string, VocabularyIndex>();
  for (const v of vocabularies.values()) groupIndexes.set(v.id, indexVocabulary(v));
  return {
    schema,
    where,
    folderYear,
    anyYear: years === "any",
    keys: options.deferDuplicates === true || options.spill !== undefined ? null : new KeyTable(),
    repeats: options.repeats ?? null,
    spill: options.spill ?? null,
    fieldNames: schema.fields.map((f) => f.name),
    primaryKey: schema.primaryKey,
    keyParts: schema.primaryKey.map(() => ""),
    hashes: { a: 0, b: 0 },
    keyIndexes: schema.primaryKey.map((k) => schema.fields.findIndex((f) => f.name === k)),
    partnerId: partner.id,
    yearIndex: schema.fields.findIndex((f) => f.name === schema.roles.year),
    districtIndex: schema.fields.findIndex((f) => f.name === schema.roles.district),
    unpadded,
    codeFields: schema.fields
      .filter((f) => f.type === "code" && f.vocabulary !== undefined)
      .map((f) => ({ name: f.name, index: vocab(f.vocabulary!) })),
    districts,
    districtChoices: config.districts.map((d) => [d.id, ...d.codes].join(" or ")).join("; "),
    districtCodes: config.districts.flatMap((d) => [d.id, ...d.codes]),
    districtCache: new Map(),
    defaultDistrict: partner.district ?? null,
    groupIndexes,
    allLabels: vocab("dimension"),
  };
}

/**
 * Stage 6: maps partner codes to c2c's canonical vocabulary (race/ethnicity, gender, ...), district
 * codes to the partnership's districts, and an aggregate row's group label to its dimension's code.
 * A row with a code c2c cannot place is left out with an issue that suggests the nearest code.
 */
export function normalizeRows(rows: readonly TypedRow[], n: Normalizer): { rows: NormalizedRow[]; issues: Issue[] } {
  const out: NormalizedRow[] = [];
  const issues: Issue[] = [];
  const roles = n.schema.roles;
  for (const row of rows) {
    // The typed row is this stage's own: codes are replaced in place, not copied.
    const values = row.values;
    let bad = false;
    for (const { name, index } of n.codeFields) {
      const raw = values[name];
      if (typeof raw !== "string") continue;
      const code = index.lookup(raw);
      if (code === undefined) {
        bad = true;
        const suggestion = index.suggest(raw);
        issues.push(
          makeIssue(
            "unknown-code",
            { ...n.where, line: row.line, column: name },
            { column: name, value: raw, expected: index.choices, ...(suggestion ? { detail: suggestion } : {}) },
          ),
        );
      } else {
        values[name] = code;
      }
    }

    let district = n.defaultDistrict;
    // A blank district (where the schema allows one) keeps the partner's own, or the whole community.
    if (roles.district !== undefined && values[roles.district] !== null) {
      const raw = values[roles.district];
      // With no districts configured (a partner checking a file alone), any code stands for itself.
      let id = typeof raw === "string" ? (n.districts.size === 0 ? raw : districtOf(n, raw)) : undefined;
      const shortened = id === undefined && typeof raw === "string" ? n.unpadded.get(raw) : undefined;
      if (shortened) {
        id = shortened.id;
        issues.push(
          makeIssue(
            "id-mangled",
            { ...n.where, line: row.line, column: roles.district },
            {
              column: roles.district,
              value: raw as string,
              detail: `it matches the district code ${shortened.code} without its leading zeros, so it was read as that district`,
              expected: shortened.code,
            },
          ),
        );
      }
      if (id === undefined) {
        bad = true;
        issues.push(
          makeIssue(
            "unknown-geography",
            { ...n.where, line: row.line, column: roles.district },
            {
              column: roles.district,
              value: String(raw ?? ""),
              expected: n.districtChoices,
              ...nearestCode(String(raw ?? ""), n.districtCodes),
            },
          ),
        );
      } else district = id;
    }

    let dimension: NormalizedRow["dimension"] = null;
    let group: string | null = null;
    if (n.schema.kind === "aggregate") {
      const label = roles.group !== undefined ? values[roles.group] : null;
      const declared = roles.groupDimension !== undefined ? values[roles.groupDimension] : roles.fixedDimension;
      const isTotal = typeof label === "string" && n.allLabels.lookup(label) === "all";
      if (declared === "all" || isTotal || label === null) {
        dimension = "all";
        group = "all";
      } else if (typeof declared === "string" && typeof label === "string" && !bad) {
        // (A group type that is itself unknown was reported above; its group cannot be placed.)
        const index = n.groupIndexes.get(declared);
        const code = index?.lookup(label);
        if (index === undefined || code === undefined) {
          bad = true;
          const suggestion = index?.suggest(label);
          issues.push(
            makeIssue(
              "unknown-code",
              { ...n.where, line: row.line, column: roles.group ?? null },
              {
                column: roles.group ?? "group",
                value: label,
                expected: index?.choices ?? "a known group",
                ...(suggestion ? { detail: suggestion } : {}),
              },
            ),
          );
        } else {
          dimension = declared as Dimension;
          group = code;
        }
      }
    }
    if (bad) continue;

    // A file without a year (a schema whose year column may be blank or absent) is its folder's year.
    const given = values[roles.year];
    const year = typeof given === "number" ? given : n.folderYear;
    if (year === null) {
      issues.push(
        makeIssue(
          "required-value",
          { ...n.where, line: row.line, column: roles.year },
          { column: roles.year, expected: "the year the figures are for" },
        ),
      );
      continue;
    }
    if (n.folderYear !== null && year !== n.folderYear && !n.anyYear) {
      issues.push(
        makeIssue(
          "year-mismatch",
          { ...n.where, line: row.line, column: roles.year },
          {
            column: roles.year,
            value: row.raw[n.yearIndex]?.trim() || String(year),
            expected: String(n.folderYear),
            other: n.partnerId,
          },
        ),
      );
      continue;
    }
    const school = roles.school !== undefined ? values[roles.school] : null;
    // Duplicates are found here, on canonical codes, so `All` and `All Students` are the same cell.
    const parts = n.keyParts;
    for (let k = 0; k < n.primaryKey.length; k++) {
      const field = n.primaryKey[k] as string;
      parts[k] = textOf(
        field === roles.group
          ? group
          : field === roles.groupDimension
            ? dimension
            : field === roles.district
              ? district
              : values[field],
      );
    }
    // The whole row in canonical codes: a repeat spelt with aliases is still an exact repeat.
    const wholeHash = hashRow(values, n.fieldNames, row.withheld);
    let rowKey: RowKey | null = null;
    if (n.spill !== null) {
      hashKeyParts(parts, parts.length, n.hashes);
      n.spill.add(n.hashes.a, n.hashes.b, row.line, wholeHash);
    } else if (n.keys === null) {
      const text = parts.join("\u0000").toLowerCase();
      rowKey = { text, whole: wholeHash, shown: shownKey(n, row.raw) };
    } else {
      hashKeyParts(parts, parts.length, n.hashes);
      const seen = n.keys.seenOrAddHashes(n.hashes.a, n.hashes.b, wholeHash, row.line);
      if (seen) {
        const shown = shownKey(n, row.raw);
        if (n.repeats !== null)
          n.repeats.push({ line: row.line, first: seen.line, sameRow: seen.sameRow, shown, whole: wholeHash });
        else issues.push(duplicateIssue(n, row.line, seen.line, seen.sameRow, shown));
        continue;
      }
    }
    out.push({
      line: row.line,
      year,
      district,
      school: typeof school === "string" ? school : null,
      values,
      withheld: row.withheld,
      dimension,
      group,
      key: rowKey,
    });
  }
  return { rows: out, issues };
}

/** A value as `Array.prototype.join` writes it: blank for null. */
function textOf(v: Value | null | undefined): string {
  return v === null || v === undefined ? "" : typeof v === "string" ? v : String(v);
}

/**
 * A 32-bit hash of the row's values (and of the cells it withheld, where any): the same for the
 * same canonical row, whatever the engine. Two characters a step, with a final mix.
 */
function hashRow(
  values: Record<string, Value>,
  fields: readonly string[],
  withheld: Record<string, Withheld> | null,
): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < fields.length; i++) {
    const text = textOf(values[fields[i] as string]);
    // The length first, so field boundaries count: ("ab", "c") is not ("a", "bc").
    h = Math.imul(h ^ text.length, 0x01000193);
    let j = 0;
    for (; j + 1 < text.length; j += 2)
      h = Math.imul(h ^ (text.charCodeAt(j) | (text.charCodeAt(j + 1) << 16)), 0x01000193);
    if (j < text.length) h = Math.imul(h ^ text.charCodeAt(j), 0x01000193);
  }
  if (withheld !== null) {
    const text = JSON.stringify(withheld);
    for (let j = 0; j < text.length; j++) h = Math.imul(h ^ text.charCodeAt(j), 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** The key's cells as the partner wrote them. */
function shownKey(n: Normalizer, raw: readonly string[]): string {
  return n.keyIndexes.map((i) => raw[i] ?? "").join(", ");
}

/** A row that repeats the key of an earlier one: an exact repeat, or the same key with other values. */
export function duplicateIssue(n: Normalizer, line: number, first: number, sameRow: boolean, shown: string): Issue {
  if (sameRow) return makeIssue("duplicate-row", { ...n.where, line }, { other: String(first) });
  const column = n.schema.primaryKey.join(", ");
  return makeIssue("duplicate-key", { ...n.where, line, column }, { column, value: shown, other: String(first) });
}

/** The district code a mistyped one most likely meant: within two edits, and closer than any other. */
function nearestCode(raw: string, codes: readonly string[]): { detail?: string } {
  const key = normalizeLabel(raw);
  const scored = codes
    .map((code) => normalizeLabel(code))
    // More than two characters longer or shorter is more than two edits away (a megabyte cell is near no code).
    .map((code, i) => ({
      code: codes[i] as string,
      d: Math.abs(code.length - key.length) > 2 ? 3 : editDistance(key, code),
    }))
    .sort((a, b) => a.d - b.d);
  const [best, next] = scored;
  if (!best || best.d > 2 || best.d === 0 || (next && next.d === best.d)) return {};
  return { detail: best.code };
}

/** A district code's id, remembered per spelling (a file writes the same few codes on every row). */
function districtOf(n: Normalizer, raw: string): string | undefined {
  const hit = n.districtCache.get(raw);
  if (hit !== undefined) return hit ?? undefined;
  const id = n.districts.get(normalizeLabel(raw));
  if (n.districtCache.size < 10_000) n.districtCache.set(raw, id ?? null);
  return id;
}
