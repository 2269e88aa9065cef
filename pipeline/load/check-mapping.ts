import type { ExtractMapping, ExtractSchema, FieldSource, Vocabulary } from "../../schemas/index.ts";
import type { ConfigMessage } from "../messages/config/index.ts";
import { type ConfigError, configError } from "./config-error.ts";

/**
 * Checks a mapping against the schema it fills and the vocabularies it names: every target is a
 * field of the schema, the required fields are all filled, each crosswalk's vocabularies exist.
 * (The zod schema has already checked its shape.) `key` is where the mapping sits in partners.yaml.
 */
export function checkMapping(
  mapping: ExtractMapping,
  schema: ExtractSchema,
  vocabularies: ReadonlyMap<string, Vocabulary>,
  key: string,
): ConfigError[] {
  const errors: ConfigError[] = [];
  const push = (at: string, message: ConfigMessage) =>
    errors.push(configError({ file: "partners.yaml", line: null, key: at }, message));
  const names = new Set(schema.fields.map((f) => f.name));
  const check = (sources: Record<string, FieldSource>, at: string) => {
    for (const [field, source] of Object.entries(sources)) {
      if (!names.has(field))
        push(`${at}.${field}`, {
          code: "mapping-target-unknown",
          params: { field, schema: schema.id, fields: [...names] },
        });
      if (source.crosswalk)
        for (const side of ["from", "to"] as const)
          if (!vocabularies.has(source.crosswalk[side]))
            push(`${at}.${field}.crosswalk.${side}`, {
              code: "vocabulary-unknown",
              params: { vocabulary: source.crosswalk[side], vocabularies: [...vocabularies.keys()] },
            });
      const target = schema.fields.find((f) => f.name === field);
      if (source.rate !== undefined && target && target.type !== "count" && target.type !== "integer")
        push(`${at}.${field}.rate`, { code: "mapping-rate-not-count", params: { field, type: target.type } });
    }
  };
  check(mapping.fields, `${key}.fields`);
  mapping.rows?.forEach((r, i) => {
    check(r, `${key}.rows[${i}]`);
  });
  const filled = new Set([...Object.keys(mapping.fields), ...(mapping.rows ?? []).flatMap((r) => Object.keys(r))]);
  for (const f of schema.fields)
    if (f.required && !filled.has(f.name))
      push(`${key}.fields`, {
        code: "mapping-required-missing",
        params: { field: f.name, title: f.title, schema: schema.id },
      });
  return errors;
}
