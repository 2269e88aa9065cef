import path from "node:path";
import { confinedTo, type Effects } from "../effects.ts";
import { ProjectError } from "../load/config-error.ts";
import { loadProject } from "../load/load-project.ts";
import { hashFile } from "../process-partner-file.ts";
import { type BuildManifest, interruptedOutputs, sha256Of } from "../write/write-outputs.ts";
import { type Command, flag, stringOption } from "./command.ts";
import { plural } from "./format.ts";

export const VERIFY_HELP = `Usage: c2c verify OUT [options]

Checks a built folder against its manifest, OUT/build.json: every file of OUT/site/ and
OUT/partners/ must have the sha256 the build recorded, with none missing and none added. With
--project, also checks that the partner files and the configuration are the ones the site was built
from. Run it before publishing a site someone else built, or after copying one.

Options:
  --project DIR   also check the project's partner files and configuration against the manifest
  --json          print the differences as JSON on stdout
  -h, --help      show this help

Exit status: 0 when everything matches, 1 when something differs or cannot be read, 2 for a
mistake in the command.

Examples:
  c2c verify out
  c2c verify my-partnership/out --project my-partnership
`;

export type DifferenceKind = "changed" | "missing" | "unexpected" | "unreadable" | "interrupted";

/** One thing that is not as the manifest says. `path` is relative to OUT, or to the project for inputs. */
export interface Difference {
  kind: DifferenceKind;
  what: "output" | "input" | "config" | "manifest";
  path: string;
  expected: string | null;
  actual: string | null;
}

export interface Verification {
  ok: boolean;
  checked: { outputs: number; inputs: number; config: boolean };
  differences: Difference[];
}

/** Compares OUT (and, given a project, its inputs and configuration) with OUT/build.json. */
export async function verifyBuild(
  outDir: string,
  projectDir: string | null,
  c2cRoot: string,
  effects: Effects,
): Promise<Verification> {
  const differences: Difference[] = [];
  const checked = { outputs: 0, inputs: 0, config: false };
  const done = () => ({ ok: differences.length === 0, checked, differences });
  let manifest: BuildManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(await effects.readFile(path.join(outDir, "build.json"))));
  } catch (e) {
    differences.push({ kind: "unreadable", what: "manifest", path: "build.json", expected: null, actual: reason(e) });
    return done();
  }
  for (const leftover of await interruptedOutputs(outDir, effects))
    differences.push({
      kind: "interrupted",
      what: "manifest",
      path: path.relative(outDir, leftover),
      expected: null,
      actual: "left by a build that was stopped; the next `c2c build` finishes or removes it",
    });
  if (!Array.isArray(manifest.outputs)) {
    differences.push({
      kind: "missing",
      what: "manifest",
      path: "build.json",
      expected: "a list of output files (build again with this version of c2c)",
      actual: null,
    });
    return done();
  }

  const listed = new Set<string>();
  for (const output of manifest.outputs) {
    listed.add(output.path);
    checked.outputs++;
    const file = path.join(outDir, output.path);
    if (!(await effects.exists(file))) {
      differences.push({ kind: "missing", what: "output", path: output.path, expected: output.sha256, actual: null });
      continue;
    }
    const actual = await readHash(file, effects);
    if (actual !== output.sha256)
      differences.push({ kind: "changed", what: "output", path: output.path, expected: output.sha256, actual });
  }
  for (const folder of ["site", "partners"]) {
    const dir = path.join(outDir, folder);
    if (!(await effects.exists(dir))) continue;
    for (const rel of await effects.listFiles(dir)) {
      const p = `${folder}/${rel}`;
      if (!listed.has(p))
        differences.push({ kind: "unexpected", what: "output", path: p, expected: null, actual: null });
    }
  }

  if (projectDir !== null) {
    for (const input of manifest.inputs) {
      checked.inputs++;
      const file = path.join(projectDir, input.path);
      if (!(await effects.exists(file))) {
        differences.push({ kind: "missing", what: "input", path: input.path, expected: input.sha256, actual: null });
        continue;
      }
      // An input the build could not read was recorded with an empty checksum.
      // Read as the build reads it: a link that now leads out of the project is not read (it differs).
      const actual = await hashFile(file, confinedTo(projectDir, effects)).catch(() => "");
      if (actual !== input.sha256)
        differences.push({ kind: "changed", what: "input", path: input.path, expected: input.sha256, actual });
    }
    try {
      const project = await loadProject(path.resolve(projectDir), c2cRoot, effects);
      checked.config = true;
      if (project.configHash !== manifest.configHash)
        differences.push({
          kind: "changed",
          what: "config",
          path: "c2c.config.yaml, partners.yaml, indicators/, schemas/",
          expected: manifest.configHash,
          actual: project.configHash,
        });
    } catch (e) {
      if (!(e instanceof ProjectError)) throw e;
      differences.push({
        kind: "unreadable",
        what: "config",
        path: "c2c.config.yaml",
        expected: manifest.configHash,
        actual: e.message.split("\n")[0] ?? null,
      });
    }
  }
  return done();
}

async function readHash(file: string, effects: Effects): Promise<string | null> {
  try {
    return sha256Of(await effects.readFile(file));
  } catch {
    return null;
  }
}

function reason(e: unknown): string {
  return e instanceof SyntaxError ? "not valid JSON" : e instanceof Error ? e.message : String(e);
}

/** The differences as an analyst reads them: one line each, then a summary. */
export function formatVerification(v: Verification, outDir: string): string {
  const short = (h: string | null) => (h === null ? "none" : h === "" ? "unreadable" : h.slice(0, 12));
  const describe: Record<DifferenceKind, (d: Difference) => string> = {
    changed: (d) =>
      `changed     ${d.what} ${d.path}: sha256 ${short(d.actual)}…, build.json says ${short(d.expected)}…`,
    missing: (d) =>
      `missing     ${d.what} ${d.path}${d.expected ? `: build.json expects ${d.what === "manifest" ? d.expected : `sha256 ${short(d.expected)}…`}` : ""}`,
    unexpected: (d) => `unexpected  ${d.what} ${d.path}: not in build.json`,
    unreadable: (d) => `unreadable  ${d.what} ${d.path}: ${d.actual ?? "could not be read"}`,
    interrupted: (d) => `interrupted ${d.path}: ${d.actual}`,
  };
  const lines = v.differences.map((d) => describe[d.kind](d));
  const what = [
    plural(v.checked.outputs, "output file"),
    ...(v.checked.inputs > 0 ? [plural(v.checked.inputs, "input file")] : []),
    ...(v.checked.config ? ["the configuration"] : []),
  ].join(", ");
  lines.push(
    v.ok
      ? `${outDir} matches its build.json (${what}).`
      : `${plural(v.differences.length, "difference")} from ${path.join(outDir, "build.json")} (checked ${what}).`,
  );
  return `${lines.join("\n")}\n`;
}

export const verifyCommand: Command = {
  name: "verify",
  summary: "check a built site (and its inputs) against its manifest, build.json",
  help: VERIFY_HELP,
  options: {
    project: { type: "string" },
    json: { type: "boolean" },
  },
  positionals: { min: 1, max: 1, usage: "takes one folder, the build's OUT (holding build.json)" },
  async run(args, ctx) {
    const outDir = args.positionals[0] as string;
    const v = await verifyBuild(outDir, stringOption(args, "project") ?? null, ctx.c2cRoot, ctx.effects);
    ctx.stdout(flag(args, "json") ? `${JSON.stringify(v, null, 2)}\n` : formatVerification(v, outDir));
    return v.ok ? 0 : 1;
  },
};
