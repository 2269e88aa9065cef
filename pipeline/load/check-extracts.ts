import path from "node:path";
import type { ExtractSchema, Vocabulary } from "../../schemas/index.ts";
import type { ConfigMessage } from "../messages/config/index.ts";
import { type ConfigError, configError } from "./config-error.ts";
import type { Loaded } from "./project.ts";

/** Each definition's id is its file's name: `indicators/employment.yaml` holds `id: employment`. */
export function checkIdsMatchFileNames(items: Loaded<{ id: string }>[], errors: ConfigError[]): void {
  for (const { file, value } of items) {
    const base = path.posix.basename(file).replace(/\.ya?ml$/, "");
    if (base !== value.id)
      errors.push(
        configError(
          { file, line: null, key: "id" },
          { code: "id-differs-from-file-name", params: { id: value.id, base } },
        ),
      );
  }
}

/** An extract schema's roles, keys and checks name its own fields, and its fields known vocabularies. */
export function checkExtract(
  { file, value: schema }: Loaded<ExtractSchema>,
  vocabularies: ReadonlyMap<string, Vocabulary>,
  errors: ConfigError[],
): void {
  const push = (key: string, message: ConfigMessage) => errors.push(configError({ file, line: null, key }, message));
  const names = new Set(schema.fields.map((f) => f.name));
  const need = (key: string, name: string | undefined) => {
    if (name !== undefined && !names.has(name))
      push(key, { code: "field-unknown", params: { name, fields: [...names] } });
  };
  schema.fields.forEach((f, i) => {
    if (f.vocabulary !== undefined && !vocabularies.has(f.vocabulary))
      push(`fields[${i}].vocabulary`, {
        code: "vocabulary-unknown",
        params: { vocabulary: f.vocabulary, vocabularies: [...vocabularies.keys()] },
      });
  });
  need("roles.year", schema.roles.year);
  need("roles.district", schema.roles.district);
  need("roles.school", schema.roles.school);
  need("roles.recordId", schema.roles.recordId);
  need("roles.groupDimension", schema.roles.groupDimension);
  need("roles.group", schema.roles.group);
  for (const [dim, field] of Object.entries(schema.roles.dimensions)) need(`roles.dimensions.${dim}`, field);
  schema.primaryKey.forEach((k, i) => {
    need(`primaryKey[${i}]`, k);
  });
  schema.checks.forEach((c, i) => {
    need(`checks[${i}].field`, c.field);
    if (c.type === "not-greater") {
      need(`checks[${i}].limit`, c.limit);
      return;
    }
    need(`checks[${i}].requires`, c.requires);
    for (const [key, name] of [
      ["field", c.field],
      ["requires", c.requires],
    ] as const) {
      const type = schema.fields.find((f) => f.name === name)?.type;
      if (type !== undefined && type !== "boolean")
        push(`checks[${i}].${key}`, { code: "check-not-boolean", params: { name, type } });
    }
  });
  if (schema.kind === "aggregate" && schema.roles.group === undefined && schema.roles.groupDimension !== undefined)
    push("roles.group", { code: "aggregate-group-missing", params: {} });
}
