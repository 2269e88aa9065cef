/**
 * Which of a partner's files of one extract and year is the later version, read from the names
 * alone, so the choice is the same on every machine and `touch` on an old file changes nothing.
 * Names are compared piece by piece, runs of digits as numbers: `scores-v10` is later than
 * `scores-v9`, `scores-2025-06-01` than `scores-2025-03-15`, and `scores-2025-v2` than `scores-2025`
 * (the name that goes on with a number). Names that differ in words (`scores-corrected`,
 * `scores-final`) say nothing about which is later.
 */

type Piece = { digits: true; value: bigint; text: string } | { digits: false; text: string };

function piecesOf(name: string): Piece[] {
  const stem = name.replace(/\.[^.]*$/, "").toLowerCase();
  return (stem.match(/\d+|\D+/g) ?? []).map((text) =>
    /^\d/.test(text) ? { digits: true, value: BigInt(text), text } : { digits: false, text },
  );
}

/** The later of two names: `1` where `a` is later, `-1` where `b` is, null where the names do not say. */
export function laterByName(a: string, b: string): 1 | -1 | null {
  const x = piecesOf(a);
  const y = piecesOf(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined || q === undefined) break;
    if (p.digits && q.digits) {
      if (p.value !== q.value) return p.value > q.value ? 1 : -1;
      continue;
    }
    if (p.text !== q.text) return null;
  }
  if (x.length === y.length) return null;
  const longer = x.length > y.length ? x : y;
  const rest = longer.slice(Math.min(x.length, y.length));
  if (!rest.some((p) => p.digits)) return null;
  return longer === x ? 1 : -1;
}

/**
 * Of files competing to be one version, the one every other is earlier than by name, or null
 * where the names leave it open (then none may be used: the build cannot know which is current).
 */
export function latestVersion<F>(files: readonly F[], nameOf: (file: F) => string): F | null {
  for (const candidate of files) {
    if (files.every((other) => other === candidate || laterByName(nameOf(candidate), nameOf(other)) === 1)) {
      return candidate;
    }
  }
  return null;
}
