import { createHash } from "node:crypto";
import path from "node:path";
import type { z } from "zod";
import {
  type Config,
  ConfigSchema,
  type ExtractSchema,
  ExtractSchemaSchema,
  type Indicator,
  IndicatorSchema,
  type IndicatorSource,
  MILESTONES,
  type Partner,
  PartnerSchema,
  PartnersFileSchema,
  type Vocabulary,
  VocabularySchema,
} from "../../schemas/index.ts";
import { confinedTo, type Effects } from "../effects.ts";
import { type CompiledExpression, compileExpression } from "../expression/index.ts";
import { checkMapping } from "../reshape/check-mapping.ts";
import { type ConfigError, ProjectError } from "./config-error.ts";
import { checkConfigPaths, unreadableProjectFile } from "./project-paths.ts";
import { parseYamlDocument } from "./yaml-document.ts";

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

interface Loaded<T> {
  file: string;
  value: T;
}

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
  const rel = (p: string) => (p.startsWith(root) ? path.relative(root, p).split(path.sep).join("/") : p);
  // c2c's own definitions are hashed by their place in c2c, so the hash does not depend on where
  // c2c is installed.
  const hashName = (p: string) =>
    p.startsWith(root) || !p.startsWith(c2cRoot)
      ? rel(p)
      : `c2c:${path.relative(c2cRoot, p).split(path.sep).join("/")}`;

  const readYaml = async <S extends z.ZodType>(file: string, schema: S): Promise<z.output<S> | null> => {
    let text: string;
    try {
      text = new TextDecoder("utf-8").decode(await effects.readFile(file));
    } catch (e) {
      errors.push(unreadableProjectFile(rel(file), e));
      return null;
    }
    hash.update(`${hashName(file)}\0${text}\0`);
    const result = parseYamlDocument(text, rel(file), schema);
    if (!result.ok) {
      errors.push(...result.errors);
      return null;
    }
    return result.value;
  };

  const readFolder = async <S extends z.ZodType>(dirs: string[], schema: S): Promise<Loaded<z.output<S>>[]> => {
    // The first folder that holds YAML files wins for each file name: the project's own before c2c's.
    const byName = new Map<string, string>();
    for (const dir of dirs) {
      if (!(await effects.exists(dir))) continue;
      for (const f of await effects.listFiles(dir)) {
        if (!/\.ya?ml$/.test(f) || f.includes("/")) continue;
        if (!byName.has(f)) byName.set(f, path.join(dir, f));
      }
    }
    const out: Loaded<z.output<S>>[] = [];
    for (const name of [...byName.keys()].sort()) {
      const file = byName.get(name)!;
      const value = await readYaml(file, schema);
      if (value !== null) out.push({ file: rel(file), value });
    }
    return out;
  };

  const configPath = path.join(root, "c2c.config.yaml");
  if (!standalone && !(await effects.exists(configPath))) {
    throw new ProjectError([
      {
        file: rel(configPath),
        line: null,
        key: null,
        message: `there is no c2c.config.yaml in ${root}.`,
        fix: "Run c2c in the partnership's project folder, or pass --project DIR naming the folder that holds c2c.config.yaml.",
      },
    ]);
  }
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
  checkPartners(partnersFile.partners, config, extractMap, errors);
  partnersFile.partners.forEach((p, i) => {
    p.extracts.forEach((x, j) => {
      const target = extractMap.get(x.schema);
      if (x.mapping && target)
        errors.push(...checkMapping(x.mapping, target, vocabularyMap, `partners[${i}].extracts[${j}].mapping`));
    });
  });
  partnersFile.precedence.forEach((id, i) => {
    if (!partnersFile.partners.some((p) => p.id === id))
      errors.push({
        file: "partners.yaml",
        line: null,
        key: `precedence[${i}]`,
        message: `\`${id}\` is not a partner listed in partners.yaml.`,
        fix: `Use one of: ${partnersFile.partners.map((p) => p.id).join(", ")}.`,
      });
  });
  const feeds = compileFeeds(indicators, extractMap, errors);
  checkRelations(indicators, errors);
  if (indicators.length === 0) {
    errors.push({
      file: rel(indicatorDir),
      line: null,
      key: null,
      message: "the indicator catalog is empty.",
      fix: "Add one YAML file per indicator, or remove the folder to use c2c's defaults.",
    });
  }
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

function checkIdsMatchFileNames(items: Loaded<{ id: string }>[], errors: ConfigError[]): void {
  for (const { file, value } of items) {
    const base = path.posix.basename(file).replace(/\.ya?ml$/, "");
    if (base !== value.id) {
      errors.push({
        file,
        line: null,
        key: "id",
        message: `the id \`${value.id}\` differs from the file name \`${base}\`.`,
        fix: `Rename the file to ${value.id}.yaml or change the id to \`${base}\`.`,
      });
    }
  }
}

/** Every relation names an indicator of the catalog. */
function checkRelations(indicators: Loaded<Indicator>[], errors: ConfigError[]): void {
  const ids = indicators.map((i) => i.value.id);
  for (const { file, value: indicator } of indicators)
    indicator.relations.forEach((relation, i) => {
      if (!ids.includes(relation.of))
        errors.push({
          file,
          line: null,
          key: `relations[${i}].of`,
          message: `there is no indicator \`${relation.of}\` to relate this one to.`,
          fix: `Use one of: ${ids.join(", ")}.`,
        });
    });
}

function checkExtract(
  { file, value: schema }: Loaded<ExtractSchema>,
  vocabularies: ReadonlyMap<string, Vocabulary>,
  errors: ConfigError[],
): void {
  const names = new Set(schema.fields.map((f) => f.name));
  const known = [...names].join(", ");
  const need = (key: string, name: string | undefined) => {
    if (name !== undefined && !names.has(name)) {
      errors.push({
        file,
        line: null,
        key,
        message: `\`${name}\` is not a field of this schema.`,
        fix: `Use one of: ${known}.`,
      });
    }
  };
  schema.fields.forEach((f, i) => {
    if (f.vocabulary !== undefined && !vocabularies.has(f.vocabulary)) {
      errors.push({
        file,
        line: null,
        key: `fields[${i}].vocabulary`,
        message: `there is no vocabulary \`${f.vocabulary}\`.`,
        fix: `Use one of: ${[...vocabularies.keys()].join(", ")}.`,
      });
    }
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
        errors.push({
          file,
          line: null,
          key: `checks[${i}].${key}`,
          message: `\`${name}\` is a ${type} field; a \`requires\` check compares two yes/no (boolean) fields.`,
          fix: "Name boolean fields, or use `type: not-greater` to compare counts.",
        });
    }
  });
  if (schema.kind === "aggregate" && schema.roles.group === undefined && schema.roles.groupDimension !== undefined) {
    errors.push({
      file,
      line: null,
      key: "roles.group",
      message: "an aggregate schema with a `groupDimension` needs a `group` field.",
      fix: "Name the field that holds the group.",
    });
  }
}

function checkPartners(
  partners: Partner[],
  config: Config,
  extracts: ReadonlyMap<string, ExtractSchema>,
  errors: ConfigError[],
): void {
  const file = "partners.yaml";
  const seen = new Set<string>();
  const districts = new Set(config.districts.map((d) => d.id));
  partners.forEach((p, i) => {
    if (seen.has(p.id))
      errors.push({
        file,
        line: null,
        key: `partners[${i}].id`,
        message: `the partner id \`${p.id}\` is used twice.`,
        fix: "Give each partner its own id.",
      });
    seen.add(p.id);
    if (p.district !== undefined && !districts.has(p.district)) {
      errors.push({
        file,
        line: null,
        key: `partners[${i}].district`,
        message: `\`${p.district}\` is not a district in c2c.config.yaml.`,
        fix: `Use one of: ${[...districts].join(", ") || "(none: add districts to c2c.config.yaml)"}.`,
      });
    }
    p.extracts.forEach((x, j) => {
      if (!extracts.has(x.schema)) {
        errors.push({
          file,
          line: null,
          key: `partners[${i}].extracts[${j}].schema`,
          message: `there is no extract schema \`${x.schema}\`.`,
          fix: `Use one of: ${[...extracts.keys()].join(", ")}.`,
        });
      }
    });
  });
}

function compileFeeds(
  indicators: Loaded<Indicator>[],
  extracts: ReadonlyMap<string, ExtractSchema>,
  errors: ConfigError[],
): Map<string, Feed[]> {
  const feeds = new Map<string, Feed[]>();
  const seen = new Set<string>();
  for (const { file, value: indicator } of indicators) {
    if (seen.has(indicator.id))
      errors.push({
        file,
        line: null,
        key: "id",
        message: `the indicator id \`${indicator.id}\` is used twice.`,
        fix: "Give each indicator its own id.",
      });
    seen.add(indicator.id);
    indicator.sources.forEach((source, i) => {
      const key = `sources[${i}]`;
      const schema = extracts.get(source.schema);
      if (!schema) {
        errors.push({
          file,
          line: null,
          key: `${key}.schema`,
          message: `there is no extract schema \`${source.schema}\`.`,
          fix: `Use one of: ${[...extracts.keys()].join(", ")}.`,
        });
        return;
      }
      if (schema.kind !== source.kind) {
        errors.push({
          file,
          line: null,
          key: `${key}.kind`,
          message: `the schema \`${schema.id}\` is ${schema.kind}-level, not ${source.kind}.`,
          fix: `Write \`kind: ${schema.kind}\`.`,
        });
        return;
      }
      const fields = new Set(schema.fields.map((f) => f.name));
      const compile = (rule: string | undefined, ruleKey: string): CompiledExpression | null => {
        if (rule === undefined) return null;
        const result = compileExpression(rule, { fields });
        if (result.ok) return result.expression;
        errors.push({
          file,
          line: null,
          key: `${key}.${ruleKey}`,
          message: `the rule \`${rule}\` is not valid: ${result.error.message}.`,
          fix: "Rules compare fields with ==, !=, <, >, in [...], and combine them with and, or, not.",
        });
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
          if (field?.type !== "count") {
            errors.push({
              file,
              line: null,
              key: `${key}.${col}`,
              message: `\`${source[col]}\` is not a count field of \`${schema.id}\`.`,
              fix: `Use one of: ${schema.fields
                .filter((f) => f.type === "count")
                .map((f) => f.name)
                .join(", ")}.`,
            });
          }
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

/** The extract `c2c aggregate` writes; it feeds every indicator without being listed in their sources. */
export const INDICATOR_COUNTS = "indicator-counts";

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
