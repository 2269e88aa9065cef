import { RowAggregator } from "../aggregate/aggregate-rows.ts";
import type { CountingEngine } from "./counting-engine.ts";

/** The default engine: repeats found in memory as rows stream (normalize's key table), cells counted in maps. */
export const builtinEngine: CountingEngine = {
  name: "builtin",
  findsRepeats: false,
  counterFor: async (plan) => {
    const aggregator = new RowAggregator(plan);
    return {
      add: (rows) => aggregator.add(rows),
      remove: (rows) => aggregator.remove(rows),
      finish: async () => ({ partials: aggregator.result(), repeats: [] }),
      close: async () => {},
    };
  },
  close: async () => {},
};
