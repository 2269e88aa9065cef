#!/usr/bin/env node
import { readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Logger } from "../effects.ts";
import { nodeEffects } from "../effects-node.ts";
import { packageRoot } from "../package-root.ts";
import { BUILD_HELP, runBuild } from "./build-command.ts";
import { CHECK_HELP, runCheck } from "./check-command.ts";
import { runTemplate, TEMPLATE_HELP } from "./template-command.ts";

const HELP = `c2c: turn a cradle-to-career partnership's data into a public outcomes dashboard.

Usage: c2c <command> [options]

Commands:
  build    validate partner files, aggregate indicators, protect small numbers, write the site
  check    check one partner file before sending it, with the build's own validator
  template write a CSV template, schemas and a data dictionary for an extract, for partners

Options:
  -h, --help      show help (also: c2c <command> --help)
  -v, --version   show c2c's version

Start with the sample community:
  c2c build --project fixtures/sample-community --out out
  then open out/site/index.html
`;

/** The command line: parses arguments, routes to a command, and turns failures into exit codes. */
export async function main(argv: string[]): Promise<number> {
  const stderr = (text: string) => process.stderr.write(text);
  const stdout = (text: string) => process.stdout.write(text);
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    stdout(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === "-v" || command === "--version") {
    stdout(`${version}\n`);
    return 0;
  }
  const log: Logger = { info: (m) => stderr(`${m}\n`), warn: (m) => stderr(`c2c: ${m}\n`) };
  let debug = false;
  try {
    if (command === "build") {
      const { values } = parseArgs({
        args: rest,
        options: {
          project: { type: "string", default: "." },
          out: { type: "string" },
          help: { type: "boolean", short: "h" },
          debug: { type: "boolean" },
        },
        strict: true,
        allowPositionals: false,
      });
      debug = values.debug === true;
      if (values.help) {
        stdout(BUILD_HELP);
        return 0;
      }
      return await runBuild(
        {
          project: values.project,
          out: values.out,
          c2cRoot: root,
          version,
          buildDate: buildDate(process.env.SOURCE_DATE_EPOCH),
        },
        nodeEffects(log),
        stdout,
      );
    }
    if (command === "check") {
      const { values, positionals } = parseArgs({
        args: rest,
        options: {
          schema: { type: "string" },
          partner: { type: "string" },
          project: { type: "string" },
          suppressed: { type: "string" },
          json: { type: "boolean" },
          report: { type: "string" },
          "max-lines": { type: "string", default: "50" },
          help: { type: "boolean", short: "h" },
          debug: { type: "boolean" },
        },
        strict: true,
        allowPositionals: true,
      });
      debug = values.debug === true;
      if (values.help) {
        stdout(CHECK_HELP);
        return 0;
      }
      const maxLines = Number(values["max-lines"]);
      if (positionals.length !== 1 || !Number.isInteger(maxLines) || maxLines < 0) {
        stderr(
          positionals.length !== 1
            ? "c2c check: name one file to check, e.g. `c2c check outcomes-2025.csv`.\n"
            : "c2c check: --max-lines takes a whole number, 0 or more.\n",
        );
        return 2;
      }
      return await runCheck(
        {
          file: positionals[0]!,
          schema: values.schema,
          partner: values.partner,
          project: values.project,
          suppressed: (values.suppressed ?? "")
            .split(",")
            .map((m) => m.trim())
            .filter((m) => m !== ""),
          json: values.json === true,
          report: values.report,
          maxLines,
          c2cRoot: root,
          version,
          buildDate: buildDate(process.env.SOURCE_DATE_EPOCH),
        },
        nodeEffects(log),
        stdout,
      );
    }
    if (command === "template") {
      const { values, positionals } = parseArgs({
        args: rest,
        options: {
          all: { type: "boolean" },
          project: { type: "string" },
          out: { type: "string", default: "templates" },
          help: { type: "boolean", short: "h" },
          debug: { type: "boolean" },
        },
        strict: true,
        allowPositionals: true,
      });
      debug = values.debug === true;
      if (values.help) {
        stdout(TEMPLATE_HELP);
        return 0;
      }
      return await runTemplate(
        {
          schemas: positionals,
          all: values.all === true,
          project: values.project,
          out: values.out,
          c2cRoot: root,
        },
        nodeEffects(log),
        stdout,
      );
    }
    stderr(`c2c: unknown command \`${command}\`. Run \`c2c --help\` for the commands.\n`);
    return 2;
  } catch (e) {
    if (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS")) {
      stderr(`c2c ${command}: ${e.message}. Run \`c2c ${command} --help\`.\n`);
      return 2;
    }
    stderr(`c2c: the build failed unexpectedly: ${e instanceof Error ? e.message : String(e)}\n`);
    if (debug && e instanceof Error && e.stack) stderr(`${e.stack}\n`);
    else stderr("Run again with --debug for the details, and report it with them.\n");
    return 1;
  }
}

/** The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today, in UTC. */
export function buildDate(epoch: string | undefined): string {
  const seconds = epoch !== undefined && /^\d+$/.test(epoch) ? Number(epoch) : Date.now() / 1000;
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
