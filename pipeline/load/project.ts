import type { Config, ExtractSchema, Indicator, IndicatorSource, Partner, Vocabulary } from "../../schemas/index.ts";
import type { CompiledExpression } from "../expression/index.ts";

/** How one indicator reads one extract schema, with its rules compiled. */
export interface Feed {
  indicator: Indicator;
  source: IndicatorSource;
  /** Record-level: which rows count, and which of them reached the outcome. */
  denominator: CompiledExpression | null;
  numerator: CompiledExpression | null;
  /** Aggregate: which rows belong to the indicator (null: every row). */
  filter: CompiledExpression | null;
}

/** A loaded, cross-checked project: everything later stages need from the project's own files. */
export interface Project {
  root: string;
  config: Config;
  partners: Partner[];
  /** Whose figures win when partners send different figures for the same cell (partner ids, first wins). */
  precedence: string[];
  /** In continuum order: by milestone, then id. */
  indicators: Indicator[];
  extracts: ReadonlyMap<string, ExtractSchema>;
  vocabularies: ReadonlyMap<string, Vocabulary>;
  /** The indicators each extract schema feeds, by schema id. */
  feeds: ReadonlyMap<string, Feed[]>;
  /** sha256 over every project file that shapes the build (config, partners, indicators, schemas). */
  configHash: string;
  /** Where each indicator, schema and vocabulary was defined (project or c2c's defaults). */
  definitionFiles: string[];
}

/** A definition read from its file. */
export interface Loaded<T> {
  file: string;
  value: T;
}

/** The extract `c2c aggregate` writes; it feeds every indicator without being listed in their sources. */
export const INDICATOR_COUNTS = "indicator-counts";
