import type { Config, CountedQuantity, Indicator, PrivacyPolicy } from "../../schemas/index.ts";
import { InternalError } from "../internal-error.ts";
import { type Observation, observationKey } from "../observation.ts";
import { type CodedRange, codedNumeratorRange, countOf, policyFor } from "./privacy-policy.ts";

/**
 * Why c2c hid a cell. `primary`: a counted quantity is below the minimum. `reliability`: the policy
 * hides unreliable rates. `complementary`: showing it would let a hidden cell be worked out by
 * subtraction or from the bounds a reader can propagate. `audit`: the exact audit found that a
 * reader combining every published table could still narrow a hidden cell.
 */
export type SuppressionReason = "primary" | "reliability" | "complementary" | "audit";

/**
 * What protection has decided so far about a table: which cells are hidden, which coded, and what a
 * reader can read of each. Every rule of the stage asks these questions; one object answers them.
 */
export class ProtectionState {
  readonly cells: Observation[];
  readonly hidden = new Map<string, SuppressionReason>();
  readonly coded = new Map<string, "bottom-coded" | "top-coded">();
  private readonly keys: Map<Observation, string>;
  private readonly policies = new Map<string, PrivacyPolicy>();
  private readonly byId: Map<string, Indicator>;

  constructor(
    observations: readonly Observation[],
    indicators: readonly Indicator[],
    private readonly config: Config,
  ) {
    this.cells = observations.map((o) => ({ ...o }));
    // Each cell's key, built once: the rules ask for it many times a round.
    this.keys = new Map(this.cells.map((o) => [o, observationKey(o)]));
    this.byId = new Map(indicators.map((i) => [i.id, i]));
  }

  keyOf = (o: Observation): string => this.keys.get(o) ?? observationKey(o);

  policyOf = (o: Observation): PrivacyPolicy => {
    const known = this.policies.get(o.indicator);
    if (known) return known;
    const policy = policyFor(this.byId.get(o.indicator), this.config);
    this.policies.set(o.indicator, policy);
    return policy;
  };

  /** A cell the table did not have, hidden from the start (see `absentRelatedCells`). */
  add(o: Observation, reason: SuppressionReason): void {
    this.cells.push(o);
    this.keys.set(o, observationKey(o));
    this.hide(o, reason);
  }

  hide(o: Observation, reason: SuppressionReason): void {
    this.hidden.set(this.keyOf(o), reason);
  }

  /** Whether a cell publishes none of its counts. */
  isGone = (o: Observation): boolean => !isShown(o) || this.hidden.has(this.keyOf(o));

  /** Whether a cell does not publish all its counts: gone, or coded. */
  isHidden = (o: Observation): boolean => this.isGone(o) || this.coded.has(this.keyOf(o));

  /** The numerator range a reader is told for a coded cell, or null for any other cell. */
  codedRange = (o: Observation): CodedRange | null => {
    const code = this.coded.get(this.keyOf(o));
    if (!code || this.hidden.has(this.keyOf(o))) return null;
    // `codingOf` codes only a cell with both its counts.
    if (o.denominator === null) throw new InternalError(`the coded cell ${this.keyOf(o)} has no denominator`);
    return codedNumeratorRange(code, o.denominator, this.policyOf(o));
  };

  /** A count of a cell a reader can read: all of a shown cell's, and a coded cell's denominator. */
  known = (o: Observation, q: CountedQuantity): number | null =>
    !this.isHidden(o) ? countOf(o, q) : q === "denominator" && this.codedRange(o) ? o.denominator : null;
}

/** Whether a cell arrived with its counts: partner-withheld and incomplete cells did not. */
export function isShown(o: Observation): boolean {
  return o.flag === "ok" || o.flag === "low-reliability";
}
