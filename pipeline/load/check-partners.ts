import type { Config, ExtractSchema, Partner, Vocabulary } from "../../schemas/index.ts";
import type { ConfigMessage } from "../messages/config/index.ts";
import { checkMapping } from "./check-mapping.ts";
import { type ConfigError, configError } from "./config-error.ts";

/**
 * `partners.yaml` against the rest of the project: each partner's id once, its district in the
 * config, its extracts' schemas known and their mappings filling them, precedence naming partners.
 */
export function checkPartners(
  partners: Partner[],
  precedence: string[],
  config: Config,
  extracts: ReadonlyMap<string, ExtractSchema>,
  vocabularies: ReadonlyMap<string, Vocabulary>,
  errors: ConfigError[],
): void {
  const push = (key: string, message: ConfigMessage) =>
    errors.push(configError({ file: "partners.yaml", line: null, key }, message));
  const seen = new Set<string>();
  const districts = new Set(config.districts.map((d) => d.id));
  partners.forEach((p, i) => {
    if (seen.has(p.id)) push(`partners[${i}].id`, { code: "partner-id-twice", params: { id: p.id } });
    seen.add(p.id);
    if (p.district !== undefined && !districts.has(p.district))
      push(`partners[${i}].district`, {
        code: "district-unknown",
        params: { district: p.district, districts: [...districts] },
      });
    p.extracts.forEach((x, j) => {
      if (!extracts.has(x.schema))
        push(`partners[${i}].extracts[${j}].schema`, {
          code: "extract-schema-unknown",
          params: { schema: x.schema, schemas: [...extracts.keys()] },
        });
    });
  });
  partners.forEach((p, i) => {
    p.extracts.forEach((x, j) => {
      const target = extracts.get(x.schema);
      if (x.mapping && target)
        errors.push(...checkMapping(x.mapping, target, vocabularies, `partners[${i}].extracts[${j}].mapping`));
    });
  });
  precedence.forEach((id, i) => {
    if (!partners.some((p) => p.id === id))
      push(`precedence[${i}]`, {
        code: "precedence-unknown-partner",
        params: { id, partners: partners.map((p) => p.id) },
      });
  });
}
