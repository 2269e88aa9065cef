import { EngineSchema } from "../../schemas/config.ts";
import type { CountingPlan } from "../aggregate/aggregate-rows.ts";
import type { PartialCounts } from "../aggregate/partial-counts.ts";
import type { NormalizedRow } from "../normalize/normalize-rows.ts";
import type { Repeat } from "../rows/repeat.ts";

/** The engines `c2c build --engine` offers. */
export const ENGINE_NAMES = EngineSchema.options;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Counts one file's rows, chunk by chunk, into its partial counts. */
export interface FileCounter {
  /** Counts a chunk of normalized rows (each with its key, where the engine finds repeats). */
  add(rows: readonly NormalizedRow[]): void;
  /** Takes record-level rows counted before back out (repeats found after reading), where the engine can. */
  remove?(rows: readonly NormalizedRow[]): void;
  /** The file's partial counts, and the rows left out for repeating a key (in line order; engines that find repeats). */
  finish(): Promise<{ partials: PartialCounts; repeats: Repeat[] }>;
  /** Releases what the counter holds, finished or not. */
  close(): Promise<void>;
}

/**
 * Where stage 7 runs, and with it finding repeated keys: what grows with the rows. Reading,
 * validating and normalizing every cell stay in c2c whatever the engine.
 */
export interface CountingEngine {
  readonly name: EngineName;
  /** True when rows reach the counter with their keys unchecked: the engine finds repeats itself. */
  readonly findsRepeats: boolean;
  counterFor(plan: CountingPlan): Promise<FileCounter>;
  /** Releases the engine (its temporary files), once every file is counted. */
  close(): Promise<void>;
}
