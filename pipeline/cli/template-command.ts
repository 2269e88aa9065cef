import path from "node:path";
import type { Effects } from "../effects.ts";
import { ProjectError } from "../load/config-error.ts";
import { loadProject, loadStandaloneProject, type Project } from "../load/load-project.ts";
import { templatesFor } from "../template/extract-templates.ts";
import { findProjectRoot } from "./check-command.ts";
import { type Command, flag, stringOption } from "./command.ts";

export const TEMPLATE_HELP = `Usage: c2c template [SCHEMA...] [options]

Writes what a partner needs before sending a file of an extract: a CSV template (the header and an
example row), a JSON Schema, a Frictionless Table Schema, and a data dictionary to read (HTML).

  OUT/SCHEMA.csv                the template: open it in Excel, keep the header, replace the example row
  OUT/SCHEMA.html               the data dictionary: every column, how to write it, which codes count
  OUT/SCHEMA.schema.json        JSON Schema of one row, for partners who validate in their own tools
  OUT/SCHEMA.tableschema.json   Frictionless Table Schema, for frictionless validate and friends

Options:
  --all            every extract schema (default when no SCHEMA is named: the list is printed)
  --project DIR    use the partnership's own extract schemas and vocabularies (default: found
                   above the current folder, else c2c's built-in schemas)
  --out DIR        where to write (default: templates)
  -h, --help       show this help

Examples:
  c2c template                          list the extract schemas
  c2c template outcome-counts           write outcome-counts.csv, .html and the two schemas
  c2c template --all --out partner-kit
`;

export interface TemplateOptions {
  schemas: string[];
  all: boolean;
  project: string | undefined;
  out: string;
  c2cRoot: string;
}

/** Runs `c2c template`: lists the extract schemas, or writes their templates. */
export async function runTemplate(
  options: TemplateOptions,
  effects: Effects,
  stdout: (text: string) => void,
): Promise<number> {
  let project: Project;
  try {
    const root =
      options.project !== undefined ? path.resolve(options.project) : await findProjectRoot(process.cwd(), effects);
    if (root !== null) project = await loadProject(root, options.c2cRoot, effects);
    else
      ({ project } = await loadStandaloneProject(options.c2cRoot, options.c2cRoot, effects, {
        schema: "outcome-counts",
      }));
  } catch (e) {
    if (e instanceof ProjectError) {
      effects.log.warn("template: the project's own files have problems to fix first:");
      for (const line of e.message.split("\n")) effects.log.warn(`  ${line}`);
      return 1;
    }
    throw e;
  }

  const known = [...project.extracts.keys()].sort();
  if (options.schemas.length === 0 && !options.all) {
    const lines = ["Extract schemas (write one with `c2c template SCHEMA`, or all with `--all`):", ""];
    const width = Math.max(...known.map((k) => k.length));
    for (const id of known) {
      const schema = project.extracts.get(id);
      lines.push(
        `  ${id.padEnd(width)}  ${schema?.kind === "record" ? "records " : "counts  "}  ${schema?.title ?? ""}`,
      );
    }
    stdout(`${lines.join("\n")}\n`);
    return 0;
  }
  const unknown = options.schemas.filter((s) => !project.extracts.has(s));
  if (unknown.length > 0) {
    effects.log.warn(
      `template: there is no extract schema ${unknown.map((u) => `\`${u}\``).join(", ")}; use one of: ${known.join(", ")}.`,
    );
    return 2;
  }
  const out = path.resolve(options.out);
  const chosen = options.all ? known : options.schemas;
  const written: string[] = [];
  for (const id of chosen) {
    const schema = project.extracts.get(id);
    if (!schema) continue;
    const t = templatesFor(schema, project.vocabularies);
    const files: [string, string][] = [
      [`${id}.csv`, t.csv],
      [`${id}.html`, t.dictionary],
      [`${id}.schema.json`, t.jsonSchema],
      [`${id}.tableschema.json`, t.tableSchema],
    ];
    for (const [name, content] of files) {
      await effects.writeFile(path.join(out, name), content);
      written.push(path.join(options.out, name));
    }
  }
  stdout(
    `Wrote ${written.length} files for ${chosen.length} extract${chosen.length === 1 ? "" : "s"}:\n${written.map((w) => `  ${w}`).join("\n")}\n`,
  );
  return 0;
}

export const templateCommand: Command = {
  name: "template",
  summary: "write a CSV template, schemas and a data dictionary of an extract, for partners",
  help: TEMPLATE_HELP,
  options: {
    all: { type: "boolean" },
    project: { type: "string" },
    out: { type: "string", default: "templates" },
  },
  positionals: { min: 0, max: 50, usage: "name the extract schemas to write" },
  run: (args, ctx) =>
    runTemplate(
      {
        schemas: args.positionals,
        all: flag(args, "all"),
        project: stringOption(args, "project"),
        out: stringOption(args, "out") ?? "templates",
        c2cRoot: ctx.c2cRoot,
      },
      ctx.effects,
      ctx.stdout,
    ),
};
