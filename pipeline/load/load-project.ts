import { createHash } from "node:crypto";
import path from "node:path";
import {
  type Config,
  ConfigSchema,
  ExtractSchemaSchema,
  type Indicator,
  IndicatorSchema,
  MILESTONES,
  type Partner,
  PartnerSchema,
  PartnersFileSchema,
  VocabularySchema,
} from "../../schemas/index.ts";
import { confinedTo, type Effects } from "../effects.ts";
import { checkExtract, checkIdsMatchFileNames } from "./check-extracts.ts";
import { checkPartners } from "./check-partners.ts";
import { checkRelations } from "./check-relations.ts";
import { compileFeeds } from "./compile-feeds.ts";
import { type ConfigError, configError, ProjectError } from "./config-error.ts";
import type { Project } from "./project.ts";
import { checkConfigPaths } from "./project-paths.ts";
import { projectFileReader } from "./read-project-files.ts";

export { type Feed, INDICATOR_COUNTS, type Project } from "./project.ts";

/**
 * Stage 1: reads `c2c.config.yaml`, `partners.yaml`, the indicator catalog, extract schemas and
 * vocabularies (the project's own, else c2c's defaults in `c2cRoot`), validates each with its zod
 * schema and checks every cross-reference. Throws a ProjectError listing every mistake found.
 */
export async function loadProject(
  root: string,
  c2cRoot: string,
  given: Effects,
  standalone?: { config: Config; partners: Partner[] },
): Promise<Project> {
  // The project's files are read only inside it (c2c's defaults, elsewhere, as they are).
  const effects = standalone ? given : confinedTo(root, given);
  const errors: ConfigError[] = [];
  const hash = createHash("sha256");
  const { rel, readYaml, readFolder } = projectFileReader(root, c2cRoot, effects, hash, errors);

  const configPath = path.join(root, "c2c.config.yaml");
  if (!standalone && !(await effects.exists(configPath)))
    throw new ProjectError([
      configError({ file: rel(configPath), line: null, key: null }, { code: "config-missing", params: { root } }),
    ]);
  const config = standalone ? standalone.config : await readYaml(configPath, ConfigSchema);
  const pathErrors = config ? await checkConfigPaths(root, config, effects) : [];
  errors.push(...pathErrors);
  // The map's outlines are part of what the site shows: a changed boundary file changes the hash.
  if (config?.boundaries && pathErrors.length === 0)
    hash.update(
      await effects.readFile(path.join(root, config.boundaries)).then(
        (bytes) => bytes,
        () => new Uint8Array(),
      ),
    );
  const partnersFile = standalone
    ? { partners: standalone.partners, precedence: [] }
    : await readYaml(path.join(root, "partners.yaml"), PartnersFileSchema);
  const vocabularies = await readFolder(
    [path.join(root, "schemas", "vocabularies"), path.join(c2cRoot, "schemas", "vocabularies")],
    VocabularySchema,
  );
  const extracts = await readFolder(
    [path.join(root, "schemas", "extracts"), path.join(c2cRoot, "schemas", "extracts")],
    ExtractSchemaSchema,
  );
  const projectIndicators = path.join(root, "indicators");
  const indicatorDir = (await effects.exists(projectIndicators)) ? projectIndicators : path.join(c2cRoot, "indicators");
  const indicators = await readFolder([indicatorDir], IndicatorSchema);

  if (errors.length > 0 || config === null || partnersFile === null) throw new ProjectError(errors);

  checkIdsMatchFileNames(vocabularies, errors);
  checkIdsMatchFileNames(extracts, errors);
  checkIdsMatchFileNames(indicators, errors);
  const vocabularyMap = new Map(vocabularies.map((v) => [v.value.id, v.value]));
  const extractMap = new Map(extracts.map((e) => [e.value.id, e.value]));
  for (const e of extracts) checkExtract(e, vocabularyMap, errors);
  checkPartners(partnersFile.partners, partnersFile.precedence, config, extractMap, vocabularyMap, errors);
  const feeds = compileFeeds(indicators, extractMap, errors);
  checkRelations(indicators, errors);
  if (indicators.length === 0)
    errors.push(configError({ file: rel(indicatorDir), line: null, key: null }, { code: "catalog-empty", params: {} }));
  if (errors.length > 0) throw new ProjectError(errors);

  const order = (i: Indicator) => MILESTONES.indexOf(i.milestone);
  return {
    root,
    config,
    partners: partnersFile.partners,
    precedence: partnersFile.precedence,
    indicators: indicators
      .map((i) => i.value)
      .sort((a, b) => order(a) - order(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    extracts: extractMap,
    vocabularies: vocabularyMap,
    feeds,
    configHash: hash.digest("hex"),
    definitionFiles: [...vocabularies, ...extracts, ...indicators].map((l) => l.file),
  };
}

/**
 * A project for one file checked outside any partnership (`c2c check`, `c2c template` with no
 * project folder): c2c's own schemas, catalog and vocabularies, one partner sending the given
 * extract, and no districts (any district code stands for itself).
 */
export async function loadStandaloneProject(
  root: string,
  c2cRoot: string,
  effects: Effects,
  extract: { schema: string; suppressed?: string[] },
): Promise<{ project: Project; partner: Partner }> {
  const partner = PartnerSchema.parse({
    id: "partner",
    name: "Partner",
    kind: "service-provider",
    extracts: [{ schema: extract.schema, files: "*", suppressed: extract.suppressed ?? [] }],
  });
  const config = ConfigSchema.parse({
    partnership: { name: "c2c", introduction: "A file checked on its own." },
    community: { id: "community", name: "Community" },
  });
  return { project: await loadProject(root, c2cRoot, effects, { config, partners: [partner] }), partner };
}
