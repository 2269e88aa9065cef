import type { Config, CountedQuantity, Indicator, Partner, Vocabulary } from "../../schemas/index.ts";
import type { Derived } from "../derive/progress.ts";
import type { IndicatorSummary, Observation } from "../observation.ts";
import type { BoundaryFeature } from "./site/charts.ts";

/** Everything the public site is drawn from. Only protected observations ever reach here. */
export interface SiteInput {
  config: Config;
  /** In catalog order (milestone order, then id). */
  indicators: Indicator[];
  /** The published observation table: suppressed cells have null counts and values and a flag. */
  observations: Observation[];
  summaries: IndicatorSummary[];
  /** Changes, progress and gaps, computed from `observations` alone. */
  derived: Derived;
  /** Group labels by dimension: `vocabularies.get("race_ethnicity")`. */
  vocabularies: ReadonlyMap<string, Vocabulary>;
  partners: Partner[];
  /** The build date, `YYYY-MM-DD`, from SOURCE_DATE_EPOCH or the clock. */
  buildDate: string;
  version: string;
  /** The smallest count the privacy policy lets the site show. */
  minimumCount: number;
  /** What protection held the tables to, for the methods page: the relations between indicators, and how many hidden figures the exact check covered. */
  privacy: {
    relations: {
      left: { indicator: string; count: CountedQuantity };
      right: { indicator: string; count: CountedQuantity };
      yearOffset: number;
    }[];
    checkedCells: number;
  };
  /** The districts' outlines from the config's `boundaries` file, for the maps; absent without one. */
  boundaries?: readonly BoundaryFeature[] | null;
}
