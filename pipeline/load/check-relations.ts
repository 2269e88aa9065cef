import type { Indicator } from "../../schemas/index.ts";
import { type ConfigError, configError } from "./config-error.ts";
import type { Loaded } from "./project.ts";

/** Every relation names an indicator of the catalog. */
export function checkRelations(indicators: Loaded<Indicator>[], errors: ConfigError[]): void {
  const ids = indicators.map((i) => i.value.id);
  for (const { file, value: indicator } of indicators)
    indicator.relations.forEach((relation, i) => {
      if (!ids.includes(relation.of))
        errors.push(
          configError(
            { file, line: null, key: `relations[${i}].of` },
            { code: "relation-unknown-indicator", params: { of: relation.of, ids } },
          ),
        );
    });
}
