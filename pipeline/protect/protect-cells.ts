import type { Config, Indicator } from "../../schemas/index.ts";
import { type Observation, observationKey, sortObservations } from "../observation.ts";
import { nearestComplement, setsByCell, suppressComplements } from "./complementary-suppression.ts";
import { auditExactly, type ExactAuditResult } from "./exact-audit.ts";
import type { RangeSolver } from "./integer-ranges.ts";
import { type LinkedSet, linkedSets } from "./linked-sets.ts";
import { breaksPolicy, codingOf, codingThreshold, isLowReliability } from "./privacy-policy.ts";
import { ProtectionState, type SuppressionReason } from "./protection-state.ts";
import { absentRelatedCells, catalogRelations, compareRelations, detectRelations, type Relation } from "./relations.ts";

export { breaksPolicy, codingOf, minimumCountFor, policyFor, smallestMinimumCount } from "./privacy-policy.ts";
export type { SuppressionReason } from "./protection-state.ts";

/** What the exact audit checked in the table protection published, and what it left a reader. */
export interface ProtectionAudit {
  /** Hidden cells, and hidden counts, whose range the solver bounded. */
  cells: number;
  counts: number;
  /** Times the audit ran: each time it found a cell to protect, it ran again after hiding one more. */
  rounds: number;
  /** Cells hidden because the exact audit found a reader could still narrow a hidden one. */
  hiddenByAudit: number;
  /** The narrowest range a reader can give a hidden count that could be below its minimum. */
  narrowest: ExactAuditResult["narrowest"];
  /** Hidden cells whose relations the published figures contradict (then not covered by the proof). */
  contradicted: string[];
}

export interface ProtectionResult {
  /** The table with every hidden cell's counts, value and interval removed. */
  published: Observation[];
  /** Each cell c2c hid, by observation key, with the reason. Partner-withheld cells keep their own flag. */
  hidden: Map<string, SuppressionReason>;
  /** The relations between indicators protection held to: the catalog's and those the figures show. */
  relations: Relation[];
  audit: ProtectionAudit;
}

/** A hidden cell that no more hiding can protect: the build must not publish. */
export class ProtectionError extends Error {
  constructor(readonly cells: string[]) {
    super(
      `c2c could not protect ${cells.length} hidden cell${cells.length === 1 ? "" : "s"} from a reader who combines every published table, however many more cells it hides: ${cells.slice(0, 5).join(", ")}${cells.length > 5 ? ", …" : ""}. Check the relations declared between indicators (relations: in indicators/*.yaml) and the partners' own totals, or raise privacy.minimumCount.`,
    );
    this.name = "ProtectionError";
  }
}

export interface ProtectOptions {
  /** The solver the exact audit runs on (`loadRangeSolver`). */
  solver: RangeSolver;
  /** Off only to prove the privacy audit can fail. */
  complementary?: boolean;
  /** Off only to prove the privacy audit can fail: no relations between indicators, declared or found. */
  related?: boolean;
}

/**
 * Stage 10: nothing below the threshold leaves this stage, alone or combined.
 *
 * 1. Primary suppression hides every cell that breaks its indicator's policy (and, where the policy
 *    says so, every unreliable rate). Where the policy codes rates (`privacy.coding`) and the
 *    only small count is who reached the outcome (or who did not), the cell is coded instead: it
 *    shows its denominator and "<5%" (or ">95%"), and its numerator is hidden.
 * 2. The relations between indicators: those the catalog declares or its definitions imply
 *    (`catalogRelations`), and those the figures that would be published show (two counts that
 *    agree in every cell both publish).
 * 3. Complementary suppression over every linked set: the groups and their total, the districts
 *    and the community, and the counts that are the same people (`suppressComplements`).
 * 4. The exact audit (`auditExactly`): for every hidden cell, the range a reader can give each of
 *    its counts from everything published, solved exactly. A cell still exposed gets one more
 *    complement from its nearest sets, and 3 and 4 run again until none is. Once none is, the
 *    published table is searched for relations again: one a reader would see that 2 did not is
 *    added, and 3 and 4 run again.
 * 5. Published cells on few people are flagged `low-reliability` when the policy asks for a caution.
 */
export function protectCells(
  observations: readonly Observation[],
  indicators: readonly Indicator[],
  config: Config,
  options: ProtectOptions,
): ProtectionResult {
  const state = new ProtectionState(observations, indicators, config);
  // 1. primary
  for (const o of state.cells) {
    if (o.flag !== "ok") continue;
    const policy = state.policyOf(o);
    const code = breaksPolicy(o, policy) ? codingOf(o, policy) : null;
    if (code) state.coded.set(state.keyOf(o), code);
    else if (breaksPolicy(o, policy)) state.hide(o, "primary");
    else if (policy.reliability.action === "hide" && isLowReliability(o, policy)) state.hide(o, "reliability");
  }
  const audit: ProtectionAudit = {
    cells: 0,
    counts: 0,
    rounds: 0,
    hiddenByAudit: 0,
    narrowest: null,
    contradicted: [],
  };
  // 2. relations
  let relations = options.related === false ? [] : catalogRelations(indicators);
  if (options.complementary === false)
    return {
      published: publish(state),
      hidden: state.hidden,
      relations: compareRelations(relations, observations),
      audit,
    };
  const catalog = relations;
  const detect = (table: Observation[], known: readonly Relation[]) =>
    options.related === false ? [] : detectRelations(table, known);
  relations = [...catalog, ...detect(publish(state), catalog)];
  const tried = new Set<string>();

  relating: for (;;) {
    tried.add(relationSignature(relations));
    for (const o of absentRelatedCells(state.cells, relations)) state.add(o, "primary");
    const sets = linkedSets(state.cells, indicators, relations);
    const setsOf = setsByCell(sets);
    const input = {
      cells: state.cells,
      sets,
      isHidden: state.isHidden,
      codedRange: state.codedRange,
      policyOf: state.policyOf,
    };
    let result: ExactAuditResult;
    for (;;) {
      // 3. complementary
      suppressComplements(state, sets);
      // 4. the exact audit: each range solved exactly wherever the solutions seen on the way leave
      // it under the minimum, which is what decides protection.
      result = auditExactly(options.solver, input);
      audit.rounds++;
      if (result.exposed.length === 0) break;
      // One complement for each exposed cell whose sets this round has not touched yet; the audit runs again.
      const stuck: string[] = [];
      const touched = new Set<LinkedSet>();
      let hid = false;
      for (const o of result.exposed) {
        if ((setsOf.get(o) ?? []).some((s) => touched.has(s))) continue;
        const complement = nearestComplement(o, setsOf, state);
        if (!complement) {
          stuck.push(state.keyOf(o));
          continue;
        }
        state.hide(complement, "audit");
        audit.hiddenByAudit++;
        hid = true;
        for (const s of setsOf.get(complement) ?? []) touched.add(s);
      }
      if (!hid) {
        // A relation found in the figures binds a reader only while the figures still show it.
        const visible = [...catalog, ...detect(publish(state), catalog)];
        if (!tried.has(relationSignature(visible))) {
          relations = visible;
          continue relating;
        }
        throw new ProtectionError(stuck);
      }
    }
    const seen = detect(publish(state), relations);
    if (seen.length === 0) {
      audit.cells = result.cells;
      audit.counts = result.counts;
      audit.narrowest = result.narrowest;
      audit.contradicted = result.contradicted.map(observationKey);
      break;
    }
    relations = [...relations, ...seen];
  }
  const published = publish(state);
  return { published, hidden: state.hidden, relations: compareRelations(relations, observations), audit };
}

/** Which relations a set holds, in any order. */
function relationSignature(relations: readonly Relation[]): string {
  return relations
    .map((r) => `${r.left.indicator}.${r.left.count}|${r.right.indicator}.${r.right.count}|${r.yearOffset}`)
    .sort()
    .join(",");
}

/** The table as the site shows it: hidden cells without counts, coded cells with their denominator and code. */
function publish(state: ProtectionState): Observation[] {
  return sortObservations(state.cells).map((o): Observation => {
    const key = state.keyOf(o);
    if (state.hidden.has(key))
      return { ...o, numerator: null, denominator: null, value: null, lower: null, upper: null, flag: "suppressed" };
    const code = state.coded.get(key);
    const policy = state.policyOf(o);
    if (code && policy.coding) {
      // What the code says of the rate, in the interval's columns: [0, 5%) or (95%, 100%].
      const threshold = codingThreshold(code, policy);
      const [lower, upper] = code === "bottom-coded" ? [0, threshold] : [threshold, 1];
      return { ...o, numerator: null, value: null, lower, upper, flag: code };
    }
    if (o.flag === "ok" && policy.reliability.action === "caution" && isLowReliability(o, policy))
      return { ...o, flag: "low-reliability" };
    return o;
  });
}
