import type { ExtractMapping, ExtractSchema, FieldSource, Vocabulary } from "../../schemas/index.ts";
import type { ConfigError } from "../load/config-error.ts";

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
  const file = "partners.yaml";
  const names = new Set(schema.fields.map((f) => f.name));
  const fieldList = [...names].join(", ");
  const check = (sources: Record<string, FieldSource>, at: string) => {
    for (const [field, source] of Object.entries(sources)) {
      if (!names.has(field))
        errors.push({
          file,
          line: null,
          key: `${at}.${field}`,
          message: `\`${field}\` is not a field of the extract schema \`${schema.id}\`.`,
          fix: `Map one of its fields: ${fieldList}.`,
        });
      if (source.crosswalk)
        for (const side of ["from", "to"] as const)
          if (!vocabularies.has(source.crosswalk[side]))
            errors.push({
              file,
              line: null,
              key: `${at}.${field}.crosswalk.${side}`,
              message: `there is no vocabulary \`${source.crosswalk[side]}\`.`,
              fix: `Use one of: ${[...vocabularies.keys()].join(", ")}.`,
            });
      const target = schema.fields.find((f) => f.name === field);
      if (source.rate !== undefined && target && target.type !== "count" && target.type !== "integer")
        errors.push({
          file,
          line: null,
          key: `${at}.${field}.rate`,
          message: `a count derived from a rate can only fill a count field, and \`${field}\` is ${target.type}.`,
          fix: "Map the rate to a count field (the numerator), with `of:` naming the count it is a rate of.",
        });
    }
  };
  check(mapping.fields, `${key}.fields`);
  mapping.rows?.forEach((r, i) => {
    check(r, `${key}.rows[${i}]`);
  });
  const filled = new Set([...Object.keys(mapping.fields), ...(mapping.rows ?? []).flatMap((r) => Object.keys(r))]);
  for (const f of schema.fields)
    if (f.required && !filled.has(f.name))
      errors.push({
        file,
        line: null,
        key: `${key}.fields`,
        message: `the mapping does not fill \`${f.name}\` (${f.title}), which the schema \`${schema.id}\` requires.`,
        fix: `Add \`${f.name}: { column: <header> }\`, or \`${f.name}: { value: <constant> }\` when the file has no such column.`,
      });
  return errors;
}
