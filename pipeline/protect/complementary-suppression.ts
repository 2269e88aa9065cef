import type { CountedQuantity, PrivacyPolicy } from "../../schemas/index.ts";
import { type Observation, observationKey } from "../observation.ts";
import { cellsOf, type LinkedSet } from "./linked-sets.ts";
import { countOf } from "./privacy-policy.ts";
import type { ProtectionState } from "./protection-state.ts";
import { isExposed, readerBounds } from "./reader-bounds.ts";

/** Each cell's linked sets. */
export function setsByCell(sets: readonly LinkedSet[]): Map<Observation, LinkedSet[]> {
  const setsOf = new Map<Observation, LinkedSet[]>();
  for (const set of sets) for (const o of cellsOf(set)) setsOf.set(o, [...(setsOf.get(o) ?? []), set]);
  return setsOf;
}

/**
 * Complementary suppression by rules a reader's subtraction defeats, until nothing changes: each
 * linked set is given the cells it needs hidden (`complementsFor`); then the bounds a reader can
 * propagate through all the sets together are computed (`readerBounds`), and any hidden cell that
 * is still pinned or narrowed gets one more complement from its nearest sets. Cheap and local: the
 * exact audit that follows (`auditExactly`) checks what it leaves against every relation at once.
 */
export function suppressComplements(state: ProtectionState, sets: readonly LinkedSet[]): void {
  const setsOf = setsByCell(sets);
  for (let changed = true; changed; ) {
    changed = false;
    for (let local = true; local; ) {
      local = false;
      for (const set of sets)
        for (const o of complementsFor(set, state)) {
          state.hide(o, "complementary");
          local = true;
        }
    }
    // The rules above look at one set at a time; a reader combines them all.
    const bounds = readerBounds(state.cells, sets, state.isHidden, state.codedRange);
    const touched = new Set<LinkedSet>();
    for (const o of state.cells) {
      const b = bounds.get(o);
      if (!b || !isExposed(b, state.policyOf(o)) || (setsOf.get(o) ?? []).some((s) => touched.has(s))) continue;
      const complement = nearestComplement(o, setsOf, state);
      if (!complement) continue;
      state.hide(complement, "complementary");
      for (const s of setsOf.get(complement) ?? []) touched.add(s);
      changed = true;
    }
  }
}

/**
 * The cell to hide for a hidden one a reader can still narrow: a published member of its own sets,
 * else of the sets next to those, and so on outwards; in each ring, a cell that is the same people
 * (a `same` set) before one that adds up with it, and the smallest that is not a zero or a one.
 */
export function nearestComplement(
  start: Observation,
  setsOf: ReadonlyMap<Observation, LinkedSet[]>,
  state: ProtectionState,
): Observation | undefined {
  const seenSets = new Set<LinkedSet>();
  const seenCells = new Set<Observation>([start]);
  const policy = state.policyOf(start);
  let frontier = [start];
  while (frontier.length > 0) {
    const same: Observation[] = [];
    const next: Observation[] = [];
    for (const o of frontier)
      for (const set of setsOf.get(o) ?? []) {
        if (seenSets.has(set)) continue;
        seenSets.add(set);
        for (const m of cellsOf(set))
          if (!seenCells.has(m)) {
            seenCells.add(m);
            next.push(m);
            if (set.kind === "same") same.push(m);
          }
      }
    for (const ring of [same, next]) {
      // A published cell if there is one; else a coded cell, hidden whole.
      const open = ring.filter((o) => !state.isHidden(o));
      const coded = ring.filter((o) => !state.isGone(o));
      if (open.length > 0 || coded.length > 0) return pickComplement(open.length > 0 ? open : coded, null, policy);
    }
    frontier = next;
  }
  return undefined;
}

/** The cells one linked set needs hidden next, given what is hidden now. */
function complementsFor(set: LinkedSet, state: ProtectionState): Observation[] {
  const { isHidden, isGone, known, policyOf } = state;
  if (set.kind === "same") {
    // A count hidden (or withheld) under one indicator and small must not be published under another.
    const small = set.members.some(({ cell, count }) => {
      const truth = countOf(cell, count);
      return known(cell, count) === null && (truth === null || truth < policyOf(cell).minimumCount);
    });
    return small ? [...new Set(set.members.filter((m) => known(m.cell, m.count) !== null).map((m) => m.cell))] : [];
  }
  const members = [set.total, ...set.parts];
  // The unreported rest of a partial dimension is one more hidden part.
  const hiddenCount = members.filter(isHidden).length + (set.rest ? 1 : 0);
  if (members.every((o) => !isHidden(o)) || members.every(isGone)) return [];
  const policy = policyOf(set.total);
  const open = set.parts.filter((o) => !isHidden(o));
  // What a reader can work out, count by count: the hidden parts' combined count, where the
  // total's is published (a coded cell publishes its denominator), and any count that is the only
  // one of its set not published, which is recovered exactly by subtraction.
  const hiddenSums: { q: CountedQuantity; sum: number }[] = [];
  let short = false;
  for (const q of policy.counted) {
    const unknown = members.filter((o) => known(o, q) === null);
    if (unknown.length === 1 && !set.rest && (countOf(unknown[0] as Observation, q) ?? 0) < policy.minimumCount)
      short = true;
    const total = known(set.total, q);
    if (total === null) continue;
    const sum = total - set.parts.reduce((n, o) => n + (known(o, q) ?? 0), 0);
    hiddenSums.push({ q, sum });
    if (sum < policy.minimumCount && (unknown.length > 0 || set.rest)) short = true;
  }
  if (hiddenCount > 1 && !short) return [];
  // A published part, else the total if published, else a coded member, hidden whole.
  const candidates = open.length > 0 ? open : !isHidden(set.total) ? [set.total] : members.filter((o) => !isGone(o));
  return [pickComplement(candidates, hiddenSums.length > 0 ? hiddenSums : null, policy)];
}

/**
 * The published cell to hide beside the hidden ones: the smallest that, with them, holds at least
 * the minimum of every counted quantity, and is not a zero or a one; failing that, the one that
 * brings the hidden sums closest to the minimum (another follows on the next pass).
 */
function pickComplement(
  candidates: Observation[],
  hiddenSums: { q: PrivacyPolicy["counted"][number]; sum: number }[] | null,
  policy: PrivacyPolicy,
): Observation {
  const size = (o: Observation) => o.denominator ?? Number.POSITIVE_INFINITY;
  const byKey = (a: Observation, b: Observation) => (observationKey(a) < observationKey(b) ? -1 : 1);
  const weakest = (o: Observation) =>
    Math.min(...(hiddenSums ?? []).map(({ q, sum }) => sum + (countOf(o, q) ?? 0)), Number.POSITIVE_INFINITY);
  const notTiny = (o: Observation) => policy.counted.every((q) => (countOf(o, q) ?? 0) >= 2);
  const enough = candidates.filter((o) => notTiny(o) && weakest(o) >= policy.minimumCount);
  if (enough.length > 0) return [...enough].sort((a, b) => size(a) - size(b) || byKey(a, b))[0] as Observation;
  return [...candidates].sort((a, b) => weakest(b) - weakest(a) || size(a) - size(b) || byKey(a, b))[0] as Observation;
}
