import type { ExtractSchema } from "../../schemas/index.ts";
import type { PartnerFile } from "../discover/discover-files.ts";
import type { IssueLocation } from "../issues/catalogue.ts";
import type { Project } from "../load/load-project.ts";
import { createNormalizer, type Normalizer } from "../normalize/normalize-rows.ts";
import { createRowValidator, type RowValidator } from "../validate/validate-rows.ts";

/** A file's row validator and normalizer, built once for its schema, partner and vocabularies. */
export function rowCheckers(
  file: PartnerFile,
  project: Project,
  options: Parameters<typeof createNormalizer>[7],
): { schema: ExtractSchema; where: IssueLocation; validator: RowValidator; normalizer: Normalizer } {
  const partner = project.partners.find((p) => p.id === file.partner);
  const schema = project.extracts.get(file.extract.schema);
  if (!partner || !schema) throw new Error(`${file.path}: its partner or schema is not in the project`);
  const where = { partner: partner.id, file: file.path };
  return {
    schema,
    where,
    validator: createRowValidator(schema, file.extract, project.vocabularies, where),
    normalizer: createNormalizer(
      schema,
      partner,
      project.config,
      project.vocabularies,
      where,
      file.year,
      file.extract.years,
      options,
    ),
  };
}
