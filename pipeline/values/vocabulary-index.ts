import type { Vocabulary } from "../../schemas/index.ts";
import { normalizeLabel } from "./parse-values.ts";

/** Looks partner labels up in a vocabulary, ignoring case, spacing and punctuation. */
export interface VocabularyIndex {
  vocabulary: Vocabulary;
  lookup(label: string): string | undefined;
  /** The canonical code closest to a label that matched nothing, for a "did you mean". */
  suggest(label: string): string | undefined;
  /** Labels to list in a fix: each group's label. */
  choices: string;
}

export function indexVocabulary(vocabulary: Vocabulary): VocabularyIndex {
  const map = new Map<string, string>();
  for (const g of vocabulary.groups) {
    for (const label of [g.code, g.label, ...g.aliases]) {
      const key = normalizeLabel(label);
      if (key && !map.has(key)) map.set(key, g.code);
    }
  }
  const labels = [...new Set(vocabulary.groups.flatMap((g) => [g.label, ...g.aliases]))];
  // Partners write the same few labels millions of times: remember each one's answer (bounded).
  const seen = new Map<string, string | null>();
  const suggested = new Map<string, string | null>();
  const remember = (cache: Map<string, string | null>, label: string, value: string | undefined) => {
    if (cache.size >= 10_000) cache.clear();
    cache.set(label, value ?? null);
    return value;
  };
  return {
    vocabulary,
    lookup: (label) => {
      const hit = seen.get(label);
      if (hit !== undefined) return hit ?? undefined;
      return remember(seen, label, map.get(normalizeLabel(label)));
    },
    suggest: (label) => {
      const hit = suggested.get(label);
      if (hit !== undefined) return hit ?? undefined;
      return remember(suggested, label, suggestFor(label));
    },
    choices: vocabulary.groups.map((g) => g.label).join(", "),
  };

  function suggestFor(label: string): string | undefined {
    const key = normalizeLabel(label);
    let best: string | undefined;
    let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
    for (const candidate of labels) {
      const other = normalizeLabel(candidate);
      // Two labels are at least their difference in length apart: a megabyte label is near none.
      if (Math.abs(key.length - other.length) >= bestDistance) continue;
      const d = editDistance(key, other);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best;
  }
}

/** Levenshtein distance, for suggestions only. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length]!;
}
