import type { ExtractField, ExtractSchema, Vocabulary } from "../../schemas/index.ts";
import { writeCsv } from "../csv/write-csv.ts";
import { escapeHtml } from "../render/escape-html.ts";

/** What a partner gets before sending a file: a CSV to fill, two machine schemas, and a page to read. */
export interface ExtractTemplates {
  csv: string;
  jsonSchema: string;
  tableSchema: string;
  dictionary: string;
}

const FRICTIONLESS_TYPES: Record<ExtractField["type"], string> = {
  id: "string",
  text: "string",
  code: "string",
  integer: "integer",
  count: "integer",
  number: "number",
  percent: "string",
  boolean: "string",
  year: "string",
  date: "string",
};

/** Writes the templates of one extract schema, with every code list taken from its vocabularies. */
export function templatesFor(schema: ExtractSchema, vocabularies: ReadonlyMap<string, Vocabulary>): ExtractTemplates {
  return {
    csv: csvTemplate(schema),
    jsonSchema: `${JSON.stringify(jsonSchema(schema, vocabularies), null, 2)}\n`,
    tableSchema: `${JSON.stringify(tableSchema(schema, vocabularies), null, 2)}\n`,
    dictionary: dataDictionary(schema, vocabularies),
  };
}

export function csvTemplate(schema: ExtractSchema): string {
  return writeCsv(
    schema.fields.map((f) => f.name),
    [schema.fields.map((f) => f.example)],
  );
}

function codesOf(field: ExtractField, vocabularies: ReadonlyMap<string, Vocabulary>): string[] | undefined {
  if (field.type === "boolean") return ["Y", "N"];
  if (field.vocabulary === undefined) return undefined;
  return vocabularies.get(field.vocabulary)?.groups.map((g) => g.label);
}

const PATTERNS: Partial<Record<ExtractField["type"], string>> = {
  year: "^\\s*(\\d{4}|\\d{4}\\s*[-–/]\\s*(\\d{2}|\\d{4}))\\s*$",
  count: "^\\s*\\d{1,3}(,?\\d{3})*\\s*$",
  integer: "^\\s*[-+]?\\d{1,3}(,?\\d{3})*\\s*$",
};

/** A JSON Schema for one row, as the CSV's cells are text. */
export function jsonSchema(schema: ExtractSchema, vocabularies: ReadonlyMap<string, Vocabulary>): object {
  const properties: Record<string, object> = {};
  for (const f of schema.fields) {
    const pattern = PATTERNS[f.type];
    properties[f.name] = {
      title: f.title,
      description: f.description,
      type: "string",
      examples: [f.example],
      ...(pattern ? { pattern } : {}),
    };
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `c2c:extract:${schema.id}`,
    title: schema.title,
    description: schema.description,
    type: "object",
    properties,
    required: schema.fields.filter((f) => f.required).map((f) => f.name),
    additionalProperties: true,
    "x-codes": Object.fromEntries(
      schema.fields.flatMap((f) => (codesOf(f, vocabularies) ? [[f.name, codesOf(f, vocabularies)]] : [])),
    ),
  };
}

/** A Frictionless Table Schema, for partners whose tools validate with Frictionless. */
export function tableSchema(schema: ExtractSchema, vocabularies: ReadonlyMap<string, Vocabulary>): object {
  return {
    fields: schema.fields.map((f) => {
      const codes = codesOf(f, vocabularies);
      const constraints: Record<string, unknown> = {};
      if (f.required && !f.allowBlank) constraints.required = true;
      if (f.minimum !== undefined) constraints.minimum = f.minimum;
      if (f.maximum !== undefined) constraints.maximum = f.maximum;
      if (f.type === "count") constraints.minimum = 0;
      return {
        name: f.name,
        title: f.title,
        description: f.description,
        type: FRICTIONLESS_TYPES[f.type],
        ...(f.type === "count" || f.type === "integer" ? { groupChar: "," } : {}),
        ...(codes ? { "x-codes": codes } : {}),
        ...(Object.keys(constraints).length > 0 ? { constraints } : {}),
      };
    }),
    primaryKey: schema.primaryKey,
    missingValues: [""],
  };
}

/** A self-contained page describing every column: what it holds, how to write it, which codes count. */
export function dataDictionary(schema: ExtractSchema, vocabularies: ReadonlyMap<string, Vocabulary>): string {
  const rows = schema.fields
    .map((f) => {
      const codes = codesOf(f, vocabularies);
      const aliases =
        f.aliases.length > 0
          ? `<br><small>Also accepted as a header: ${f.aliases.map((a) => `<code>${escapeHtml(a)}</code>`).join(", ")}</small>`
          : "";
      return `<tr><th scope="row"><code>${escapeHtml(f.name)}</code>${aliases}</th><td>${escapeHtml(f.title)}</td><td>${escapeHtml(f.description)}${codes ? `<br><small>Codes: ${codes.map((c) => escapeHtml(c)).join("; ")}</small>` : ""}</td><td>${f.required ? (f.allowBlank ? "column required; may be blank" : "required") : "optional"}</td><td><code>${escapeHtml(f.example)}</code></td></tr>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(schema.title)}: data dictionary</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.5rem;text-align:left;vertical-align:top}
thead th{background:#f2f2f2}code{background:#f5f5f5;padding:0 .2rem}
</style>
</head>
<body>
<h1>${escapeHtml(schema.title)}</h1>
<p>${escapeHtml(schema.description)}</p>
<p>Send a CSV file with one header row, using the column names below (in any order). Each row is identified by ${schema.primaryKey.map((k) => `<code>${escapeHtml(k)}</code>`).join(", ")}; send each only once. Where you withhold a small number, write your suppression marker (for example <code>*</code>), never 0.</p>
<table>
<caption>Columns of the ${escapeHtml(schema.id)} extract</caption>
<thead><tr><th scope="col">Column</th><th scope="col">Name</th><th scope="col">What to write</th><th scope="col">Required</th><th scope="col">Example</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}
