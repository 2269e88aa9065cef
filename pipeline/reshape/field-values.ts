import { DIMENSIONS, type FieldSource, type Vocabulary } from "../../schemas/index.ts";
import { normalizeLabel, parseDecimal } from "../values/parse-values.ts";
import { indexVocabulary, type VocabularyIndex } from "../values/vocabulary-index.ts";
import { deriveCount } from "./derive-count.ts";
import type { RecordGet } from "./source-columns.ts";

/**
 * How a mapped file's cells become a schema field's value, as the field's source says: a column
 * (matched, offset, mapped, crosswalked, rounded), a constant, or a count derived from a rate.
 */
export class FieldValues {
  private readonly indexes = new Map<string, VocabularyIndex>();

  constructor(
    private readonly vocabularies: ReadonlyMap<string, Vocabulary>,
    private readonly percentScale: "percent" | "fraction",
  ) {}

  /** The count a rate source derives from the row's rate and count cells. */
  derive(source: FieldSource, get: RecordGet) {
    return deriveCount(
      get(source.rate as string) ?? "",
      source.of === undefined ? undefined : (get(source.of) ?? ""),
      this.percentScale,
    );
  }

  /** The field's cell from the row; null when the row must not be used (a rate over 100%). */
  resolve(source: FieldSource, get: RecordGet): string | null {
    if (source.rate !== undefined) {
      const derived = this.derive(source, get);
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
      const code = this.indexOf(source.crosswalk.from)?.lookup(text);
      const group = this.vocabularies.get(source.crosswalk.from)?.groups.find((g) => g.code === code);
      const to = group?.crosswalk?.[source.crosswalk.to];
      if (to !== undefined) text = to;
    }
    if (source.dimensionOf) text = this.dimensionOf(text) ?? text;
    if (source.round) {
      const n = parseDecimal(text);
      if (n !== undefined) text = String(Math.round(n));
    }
    return text;
  }

  /** The dimension whose vocabulary holds a group label; `all` for a total. */
  private dimensionOf(label: string): string | undefined {
    if (this.indexOf("dimension")?.lookup(label) === "all") return "all";
    return DIMENSIONS.find((d) => this.indexOf(d)?.lookup(label) !== undefined);
  }

  private indexOf(id: string): VocabularyIndex | undefined {
    let index = this.indexes.get(id);
    const vocabulary = this.vocabularies.get(id);
    if (!index && vocabulary) {
      index = indexVocabulary(vocabulary);
      this.indexes.set(id, index);
    }
    return index;
  }
}
