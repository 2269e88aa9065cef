import { formatSizeIn } from "../format-size.ts";
import type { Bound, ConfigTable, NotAFile, Seen } from "./codes.ts";

/** The configuration mistakes in English: the words c2c has always used. */

const q = (v: string) => `\`${v}\``;
const SEEN = { empty: "an empty value", list: "a list", mapping: "a mapping" } as const;
/** What was found, as c2c has always named it (nothing at all reads `undefined`). */
const seen = (p: Seen) => (p.found === "value" ? q(p.value) : p.found === "none" ? q("undefined") : SEEN[p.found]);
/** ` (found \`x\`)`, after a schema's own sentence; nothing for a key left out. */
const found = (p: Seen) => (p.found === "none" ? "" : ` (found ${seen(p)})`);
const useOneOf = (list: readonly string[]) => `Use one of: ${list.join(", ")}.`;
const SPECIAL = {
  fifo: "a FIFO (named pipe)",
  socket: "a socket",
  device: "a device",
  other: "an entry of an unknown kind",
};

function notAFile(p: NotAFile): string {
  switch (p.found) {
    case "folder":
      return p.link ? "it is a link to a folder, which c2c does not follow" : "it is a folder, not a file";
    case "special":
      return `it is ${p.link ? `a link to ${SPECIAL[p.special]}` : SPECIAL[p.special]}, not a regular file, so c2c did not open it`;
    case "missing":
      return "there is no such file";
    case "link-loop":
      return "it is a link that leads back to itself";
    case "link-broken":
      return `it is a link to ${p.target}, which does not exist`;
    case "stalled":
      return `reading it made no progress for ${p.seconds} seconds`;
  }
}

const none = () => "";

const UNITS: Readonly<Record<string, string>> = {
  string: "characters",
  file: "bytes",
  array: "items",
  set: "items",
  map: "entries",
};
/** "expected string to have >=1 characters", "expected number to be <=2200". */
function bound(p: Bound, than: ">" | "<"): string {
  const adjective = p.exact ? "exactly " : p.inclusive ? `${than}=` : than;
  const unit = UNITS[p.origin];
  return unit
    ? `expected ${p.origin} to have ${adjective}${p.limit} ${unit}`
    : `expected ${p.origin} to be ${adjective}${p.limit}`;
}

const FORMATS: Readonly<Record<string, string>> = {
  url: "URL",
  email: "email address",
  date: "ISO date",
  datetime: "ISO datetime",
};
function formatWanted(p: { format: string; pattern: string }): string {
  if (p.format === "starts_with") return `Invalid string: must start with "${p.pattern}"`;
  if (p.format === "ends_with") return `Invalid string: must end with "${p.pattern}"`;
  if (p.format === "includes") return `Invalid string: must include "${p.pattern}"`;
  if (p.format === "regex") return `Invalid string: must match pattern ${p.pattern}`;
  return `Invalid ${FORMATS[p.format] ?? p.format}`;
}
const copyInstead = () => "Copy the file itself into the project folder in place of the link.";

export const CONFIG_EN: ConfigTable = {
  "config-missing": {
    message: (p) => `there is no c2c.config.yaml in ${p.root}.`,
    fix: () =>
      "Run c2c in the partnership's project folder, or pass --project DIR naming the folder that holds c2c.config.yaml.",
  },
  "file-unreadable": {
    message: () => "the file could not be read.",
    fix: () => "Check that it exists and can be read.",
  },
  "yaml-invalid": {
    message: (p) => `this is not valid YAML: ${p.detail}`,
    fix: () => "Check the indentation and that every quote and bracket is closed.",
  },
  "path-outside-project": {
    message: (p) =>
      p.via === "path"
        ? `${q(p.value)} is outside the project folder; c2c reads only files inside it.`
        : p.via === "link"
          ? `${q(p.value)} is a link to ${q(p.target)}, outside the project folder; c2c reads only files inside it.`
          : p.via === "file-link"
            ? `the file is a link to ${q(p.target)}, outside the project folder; c2c reads only files inside it.`
            : `the data folder is a link to ${q(p.target)}, outside the project folder; c2c reads only what is inside it.`,
    fix: (p) =>
      p.via === "path"
        ? "Put the file inside the project folder (such as boundaries/districts.geojson) and name it relative to the folder."
        : p.via === "data-link"
          ? "Make data/ a folder of the project itself, not a link, and move the partners' files into it."
          : copyInstead(),
  },
  "path-unreadable": {
    message: (p) =>
      p.what === "file"
        ? "c2c has no permission to read the file."
        : p.what === "data-folder"
          ? "c2c has no permission to read the data folder."
          : "c2c has no permission to list the data folder.",
    fix: () => "Let the account that runs c2c read it.",
  },
  "path-too-large": {
    message: (p) =>
      `the file is ${formatSizeIn(p.size, "en")}, more than the ${formatSizeIn(p.limit, "en")} c2c reads of a project file.`,
    fix: () => "Check that this is the right file.",
  },
  "path-not-a-file": {
    message: (p) => `the file could not be read: ${notAFile(p)}.`,
    fix: () => "Put a regular file there (saved or copied, not a link to one outside the project, a pipe or a device).",
  },
  "path-not-a-folder": {
    message: () => "data is not a folder.",
    fix: () => "Make data/ a folder holding data/<year>/<partner>/ folders.",
  },

  "key-unknown": {
    message: (p) =>
      `${p.keys.map(q).join(", ")} ${p.keys.length === 1 ? "is not a key" : "are not keys"} c2c knows here.`,
    fix: () => "Check the spelling, or remove the key.",
  },
  "key-missing": { message: () => "this key is required but missing.", fix: (p) => `Add it (${p.expected}).` },
  "type-wrong": {
    message: (p) => `expected ${p.expected}, found ${seen(p)}.`,
    fix: (p) => `Write ${p.expected === "array" ? "a list" : `a ${p.expected}`} here.`,
  },
  "value-not-allowed": {
    message: (p) => `${seen(p)} is not one of ${p.allowed.map(q).join(", ")}.`,
    fix: () => "Use one of the listed values.",
  },
  // The words of zod's English locale, as c2c has always shown them.
  "discriminator-invalid": {
    message: (p) =>
      `Invalid discriminator value. Expected ${p.allowed.map((a) => `'${a}'`).join(" | ")} (found a mapping).`,
    fix: none,
  },
  "key-invalid": { message: (p) => `Invalid key in ${p.origin}${found(p)}.`, fix: none },
  "value-too-small": { message: (p) => `Too small: ${bound(p, ">")}${found(p)}.`, fix: none },
  "value-too-big": { message: (p) => `Too big: ${bound(p, "<")}${found(p)}.`, fix: none },
  "format-invalid": { message: (p) => `${formatWanted(p)}${found(p)}.`, fix: none },
  "not-multiple": { message: (p) => `Invalid number: must be a multiple of ${p.divisor}${found(p)}.`, fix: none },
  "value-invalid": { message: (p) => `Invalid input${found(p)}.`, fix: none },

  "id-not-kebab": {
    message: (p) => `use lowercase letters, digits and hyphens, e.g. \`early-grade-reading\`${found(p)}.`,
    fix: none,
  },
  "id-not-snake": {
    message: (p) => `use lowercase letters, digits and underscores, e.g. \`race_ethnicity\`${found(p)}.`,
    fix: none,
  },
  "code-field-without-vocabulary": { message: (p) => `a \`code\` field needs a \`vocabulary\`${found(p)}.`, fix: none },
  "target-before-baseline": {
    message: (p) => `the target year must not be before the baseline year${found(p)}.`,
    fix: none,
  },
  "translation-notes-mismatch": {
    message: (p) => `a translation's notes must match the indicator's notes one for one${found(p)}.`,
    fix: none,
  },
  "partial-dimension-not-listed": {
    message: (p) => `every dimension in \`partialDimensions\` must also be in \`dimensions\`${found(p)}.`,
    fix: none,
  },
  "relation-to-itself-same-year": {
    message: (p) => `a relation of an indicator to itself needs a \`yearOffset\` other than 0${found(p)}.`,
    fix: none,
  },
  "minimum-count-twice": {
    message: (p) =>
      `give the minimum count once: \`privacy.minimumCount\` (or the older \`minimumN\`), not both${found(p)}.`,
    fix: none,
  },
  "minimum-count-below-floor": {
    message: (p) =>
      `a minimum count below ${p.floor} would publish figures about one or two people (1 of 1, 2 of 2), so c2c does not build with it: use ${p.floor} or more (10 is common; 11 for health data)${found(p)}.`,
    fix: none,
  },
  "coding-without-bound": {
    message: (p) =>
      `give \`below\` (for example 0.05, shown as <5%), \`above\` (for example 0.95, shown as >95%), or both${found(p)}.`,
    fix: none,
  },
  "pattern-invalid": {
    message: (p) =>
      `${q(p.pattern)} is not a valid regular expression (${p.detail}); escape \\ as \\\\ inside double quotes, or use single quotes${found(p)}.`,
    fix: none,
  },
  "field-source-missing": {
    message: (p) =>
      `say where the field comes from: \`column: <header>\`, \`value: <constant>\` or \`rate: <column>\` (with \`of: <count column>\`)${found(p)}.`,
    fix: none,
  },
  "field-source-several": {
    message: (p) =>
      `give only one of ${p.given.map(q).join(", ")}: a field comes from one column, one constant or one rate${found(p)}.`,
    fix: none,
  },
  "of-without-rate": {
    message: (p) => `\`of\` goes with \`rate\`: write \`rate: <rate column>\` too${found(p)}.`,
    fix: none,
  },
  "keep-rule-needs-one": {
    message: (p) => `a keep rule needs either \`values: [...]\` or \`pattern: <regex>\` (one of them)${found(p)}.`,
    fix: none,
  },
  "header-row-past-header": {
    message: (p) =>
      `headerRow ${p.headerRow} is past the ${p.headerRows} header row(s); set headerRows: ${p.headerRow} or a smaller headerRow${found(p)}.`,
    fix: none,
  },
  "unpivot-without-measure": {
    message: (p) =>
      `the pattern needs a named group \`(?<measure>...)\` saying which value a column holds, e.g. \`^(?<group>[A-Z]{3})_(?<measure>COHORT|RATE)_1415$\`${found(p)}.`,
    fix: none,
  },
  "pivot-and-unpivot": {
    message: (p) => `use \`unpivot\` or \`pivot\`, not both, in one mapping${found(p)}.`,
    fix: none,
  },

  "id-differs-from-file-name": {
    message: (p) => `the id ${q(p.id)} differs from the file name ${q(p.base)}.`,
    fix: (p) => `Rename the file to ${p.id}.yaml or change the id to ${q(p.base)}.`,
  },
  "indicator-id-twice": {
    message: (p) => `the indicator id ${q(p.id)} is used twice.`,
    fix: () => "Give each indicator its own id.",
  },
  "relation-unknown-indicator": {
    message: (p) => `there is no indicator ${q(p.of)} to relate this one to.`,
    fix: (p) => useOneOf(p.ids),
  },
  "catalog-empty": {
    message: () => "the indicator catalog is empty.",
    fix: () => "Add one YAML file per indicator, or remove the folder to use c2c's defaults.",
  },
  "field-unknown": { message: (p) => `${q(p.name)} is not a field of this schema.`, fix: (p) => useOneOf(p.fields) },
  "vocabulary-unknown": {
    message: (p) => `there is no vocabulary ${q(p.vocabulary)}.`,
    fix: (p) => useOneOf(p.vocabularies),
  },
  "check-not-boolean": {
    message: (p) => `${q(p.name)} is a ${p.type} field; a \`requires\` check compares two yes/no (boolean) fields.`,
    fix: () => "Name boolean fields, or use `type: not-greater` to compare counts.",
  },
  "aggregate-group-missing": {
    message: () => "an aggregate schema with a `groupDimension` needs a `group` field.",
    fix: () => "Name the field that holds the group.",
  },
  "partner-id-twice": {
    message: (p) => `the partner id ${q(p.id)} is used twice.`,
    fix: () => "Give each partner its own id.",
  },
  "district-unknown": {
    message: (p) => `${q(p.district)} is not a district in c2c.config.yaml.`,
    fix: (p) => `Use one of: ${p.districts.join(", ") || "(none: add districts to c2c.config.yaml)"}.`,
  },
  "extract-schema-unknown": {
    message: (p) => `there is no extract schema ${q(p.schema)}.`,
    fix: (p) => useOneOf(p.schemas),
  },
  "precedence-unknown-partner": {
    message: (p) => `${q(p.id)} is not a partner listed in partners.yaml.`,
    fix: (p) => useOneOf(p.partners),
  },
  "source-kind-mismatch": {
    message: (p) => `the schema ${q(p.schema)} is ${p.kind}-level, not ${p.wanted}.`,
    fix: (p) => `Write \`kind: ${p.kind}\`.`,
  },
  "rule-invalid": {
    message: (p) => `the rule ${q(p.rule)} is not valid: ${p.detail}.`,
    fix: () => "Rules compare fields with ==, !=, <, >, in [...], and combine them with and, or, not.",
  },
  "count-field-unknown": {
    message: (p) => `${q(p.column)} is not a count field of ${q(p.schema)}.`,
    fix: (p) => useOneOf(p.counts),
  },
  "mapping-target-unknown": {
    message: (p) => `${q(p.field)} is not a field of the extract schema ${q(p.schema)}.`,
    fix: (p) => `Map one of its fields: ${p.fields.join(", ")}.`,
  },
  "mapping-rate-not-count": {
    message: (p) => `a count derived from a rate can only fill a count field, and ${q(p.field)} is ${p.type}.`,
    fix: () => "Map the rate to a count field (the numerator), with `of:` naming the count it is a rate of.",
  },
  "mapping-required-missing": {
    message: (p) => `the mapping does not fill ${q(p.field)} (${p.title}), which the schema ${q(p.schema)} requires.`,
    fix: (p) =>
      `Add \`${p.field}: { column: <header> }\`, or \`${p.field}: { value: <constant> }\` when the file has no such column.`,
  },

  "boundaries-unreadable": {
    message: () => "the boundary file named by `boundaries` in c2c.config.yaml could not be read.",
    fix: () => "Check the path (it is relative to the project folder), or remove `boundaries`.",
  },
  "boundaries-not-json": {
    message: () => "the boundary file is not valid JSON.",
    fix: () => "Save it as GeoJSON from your mapping tool.",
  },
  "boundaries-not-geojson": {
    message: (p) => `the boundary file is not a GeoJSON FeatureCollection of district polygons (${p.detail}).`,
    fix: () => "Each feature needs a Polygon or MultiPolygon geometry and an `id` property equal to a district id.",
  },
  "boundaries-unknown-district": {
    message: (p) => `${q(p.id)} is not a district id in c2c.config.yaml.`,
    fix: (p) => `Use one of: ${p.districts.join(", ") || "(no districts are configured)"}.`,
  },
};
