import type { ExtractMapping } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import { normalizeLabel } from "../values/parse-values.ts";
import { editDistance } from "../values/vocabulary-index.ts";

/**
 * Where in partners.yaml each column a mapping reads is named (the first place, when several
 * name it): `partners[1].extracts[0].mapping.fields.numerator.column`. `prefix` is the mapping's own key.
 */
export function mappedColumnKeys(mapping: ExtractMapping, prefix: string): Map<string, string> {
  const keys = new Map<string, string>();
  const add = (name: string | undefined, key: string) => {
    if (name !== undefined && !keys.has(name)) keys.set(name, `${prefix}.${key}`);
  };
  const sources = (fields: ExtractMapping["fields"], at: string) => {
    for (const [field, source] of Object.entries(fields)) {
      add(source.column, `${at}.${field}.column`);
      add(source.rate, `${at}.${field}.rate`);
      add(source.of, `${at}.${field}.of`);
    }
  };
  sources(mapping.fields, "fields");
  mapping.rows?.forEach((r, i) => {
    sources(r, `rows[${i}]`);
  });
  mapping.keep.forEach((k, i) => {
    add(k.column, `keep[${i}].column`);
  });
  if (mapping.pivot) {
    mapping.pivot.keys.forEach((k, i) => {
      add(k, `pivot.keys[${i}]`);
    });
    mapping.pivot.names.forEach((k, i) => {
      add(k, `pivot.names[${i}]`);
    });
    add(mapping.pivot.value, "pivot.value");
  }
  return keys;
}

/** The header a mistyped name most likely meant: the nearest, by a few edits for its length, and nearer than any other. */
export function nearestHeader(name: string, header: readonly string[]): string | undefined {
  const target = normalizeLabel(name);
  const most = Math.max(2, Math.floor(target.length / 4));
  const scored = [...new Set(header.map((h) => h.trim()).filter((h) => h !== ""))]
    .map((h) => ({ h, key: normalizeLabel(h) }))
    // A header longer or shorter by more than `most` characters is more than `most` edits away.
    .map(({ h, key }) => ({ h, d: Math.abs(key.length - target.length) > most ? most + 1 : editDistance(target, key) }))
    .sort((a, b) => a.d - b.d);
  const [best, next] = scored;
  if (best === undefined || best.d > most) return undefined;
  return next !== undefined && next.d === best.d ? undefined : best.h;
}

/**
 * A column the mapping reads that the file does not have: the partnership's configuration names it
 * (at `key` in partners.yaml), so the issue says so, with the file's nearest header.
 */
export function mappingColumnIssue(
  name: string,
  where: IssueLocation,
  line: number,
  key: string | undefined,
  header: readonly string[],
): Issue {
  const near = nearestHeader(name, header);
  return makeIssue(
    "mapping-column-missing",
    { ...where, line, column: name },
    {
      column: name,
      ...(key !== undefined ? { other: `\`${key}\`` } : {}),
      ...(near !== undefined ? { detail: near } : {}),
    },
  );
}
