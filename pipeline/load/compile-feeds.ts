import type { ExtractSchema, Indicator } from "../../schemas/index.ts";
import { type CompiledExpression, compileExpression } from "../expression/index.ts";
import type { ConfigMessage } from "../messages/config/index.ts";
import { type ConfigError, configError } from "./config-error.ts";
import { type Feed, INDICATOR_COUNTS, type Loaded } from "./project.ts";

/**
 * How each indicator reads each extract schema, its rules compiled: the feeds by schema id. Each
 * indicator id once, each source naming a known schema of its kind, its rules valid over that
 * schema's fields, its counts count fields. Every indicator also reads `indicator-counts`.
 */
export function compileFeeds(
  indicators: Loaded<Indicator>[],
  extracts: ReadonlyMap<string, ExtractSchema>,
  errors: ConfigError[],
): Map<string, Feed[]> {
  const feeds = new Map<string, Feed[]>();
  const seen = new Set<string>();
  for (const { file, value: indicator } of indicators) {
    const push = (key: string, message: ConfigMessage) => errors.push(configError({ file, line: null, key }, message));
    if (seen.has(indicator.id)) push("id", { code: "indicator-id-twice", params: { id: indicator.id } });
    seen.add(indicator.id);
    indicator.sources.forEach((source, i) => {
      const key = `sources[${i}]`;
      const schema = extracts.get(source.schema);
      if (!schema) {
        push(`${key}.schema`, {
          code: "extract-schema-unknown",
          params: { schema: source.schema, schemas: [...extracts.keys()] },
        });
        return;
      }
      if (schema.kind !== source.kind) {
        push(`${key}.kind`, {
          code: "source-kind-mismatch",
          params: { schema: schema.id, kind: schema.kind, wanted: source.kind },
        });
        return;
      }
      const fields = new Set(schema.fields.map((f) => f.name));
      const compile = (rule: string | undefined, ruleKey: string): CompiledExpression | null => {
        if (rule === undefined) return null;
        const result = compileExpression(rule, { fields });
        if (result.ok) return result.expression;
        push(`${key}.${ruleKey}`, { code: "rule-invalid", params: { rule, detail: result.error.message } });
        return null;
      };
      let feed: Feed;
      if (source.kind === "record") {
        feed = {
          indicator,
          source,
          denominator: compile(source.denominator, "denominator"),
          numerator: compile(source.numerator, "numerator"),
          filter: null,
        };
      } else {
        for (const col of ["numerator", "denominator"] as const) {
          const field = schema.fields.find((f) => f.name === source[col]);
          if (field?.type !== "count")
            push(`${key}.${col}`, {
              code: "count-field-unknown",
              params: {
                column: source[col],
                schema: schema.id,
                counts: schema.fields.filter((f) => f.type === "count").map((f) => f.name),
              },
            });
        }
        feed = { indicator, source, denominator: null, numerator: null, filter: compile(source.filter, "filter") };
      }
      const list = feeds.get(schema.id) ?? [];
      list.push(feed);
      feeds.set(schema.id, list);
    });
  }
  // Every indicator accepts the counts `c2c aggregate` writes from its own record-level sources.
  const counts = extracts.get(INDICATOR_COUNTS);
  if (counts) {
    const fields = new Set(counts.fields.map((f) => f.name));
    for (const { value: indicator } of indicators) {
      const filter = compileExpression(`indicator == '${indicator.id}'`, { fields });
      if (!filter.ok) continue;
      const source = {
        kind: "aggregate" as const,
        schema: INDICATOR_COUNTS,
        filter: filter.expression.source,
        numerator: "numerator",
        denominator: "denominator",
      };
      const list = feeds.get(INDICATOR_COUNTS) ?? [];
      list.push({ indicator, source, denominator: null, numerator: null, filter: filter.expression });
      feeds.set(INDICATOR_COUNTS, list);
    }
  }
  return feeds;
}
