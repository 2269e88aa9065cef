import path from "node:path";
import { confinedTo, type Effects } from "../effects.ts";
import { ProjectError } from "../load/config-error.ts";
import { loadProject } from "../load/load-project.ts";
import { hashFile } from "../per-file/hash-file.ts";
import { interruptedOutputs, MANIFEST, PRIVATE, PUBLIC_MANIFEST, SITE } from "../write/output-layout.ts";
import { type BuildManifest, sha256Of } from "../write/write-outputs.ts";
import { type Command, flag, stringOption } from "./command.ts";
import { plural } from "./format.ts";

export const VERIFY_HELP = `Usage: c2c verify OUT [options]

Checks a built folder against its manifest: every file of OUT/site/ and OUT/private/ must have the
sha256 the build recorded in OUT/private/build.json, with none missing and none added. Given a site
folder instead (a copy of OUT/site, as published), checks it against the public manifest the build
put in it, c2c-manifest.json. With --project, also checks that the partner files and the
configuration are the ones the site was built from (their checksums are in OUT/private/build.json
only). Run it before publishing a site someone else built, or on the copy after publishing it.

What a stopped build left in OUT (the next build removes it) is noted, not counted as a difference:
the published site is checked as it is.

Options:
  --project DIR   also check the project's partner files and configuration against the manifest
  --json          print the differences as JSON on stdout
  -h, --help      show this help

Exit status: 0 when everything matches, 1 when something differs or cannot be read, 2 for a
mistake in the command.

Examples:
  c2c verify out
  c2c verify my-partnership/out --project my-partnership
  c2c verify /var/www/dashboard          a published copy of out/site
`;

export type DifferenceKind = "changed" | "missing" | "unexpected" | "unreadable";

/** One thing that is not as the manifest says. `path` is relative to OUT (or the site folder), or to the project for inputs. */
export interface Difference {
  kind: DifferenceKind;
  what: "output" | "input" | "config" | "manifest";
  path: string;
  expected: string | null;
  actual: string | null;
}

export interface Verification {
  ok: boolean;
  /** The manifest checked against, relative to the folder given: `private/build.json`, `build.json` (an earlier c2c's layout) or `c2c-manifest.json` (a site). */
  manifest: string;
  checked: { outputs: number; inputs: number; config: boolean };
  differences: Difference[];
  /** Said, not counted: what a stopped build left, an earlier layout, a check limited to the site. */
  notes: string[];
}

interface Found {
  manifest: string;
  /** Where the manifest's output paths start, relative to the folder given. */
  base: string;
  /** The folders (relative to the folder given) whose every file the manifest must list. */
  scan: string[];
  notes: string[];
}

/** Which manifest a folder has: a build's private one, an earlier c2c's, or a site's public one. */
async function findManifest(dir: string, effects: Effects): Promise<Found | null> {
  const has = (rel: string) => effects.exists(path.join(dir, rel));
  if (await has(MANIFEST)) return { manifest: MANIFEST, base: "", scan: [SITE, PRIVATE], notes: [] };
  if (await has("build.json"))
    return {
      manifest: "build.json",
      base: "",
      scan: [SITE, "partners"],
      notes: ["this folder has the layout of an earlier c2c (build.json beside site/); the next `c2c build` moves it"],
    };
  if (await has(PUBLIC_MANIFEST)) return { manifest: PUBLIC_MANIFEST, base: "", scan: [""], notes: [] };
  if (await has(path.join(SITE, PUBLIC_MANIFEST)))
    return {
      manifest: `${SITE}/${PUBLIC_MANIFEST}`,
      base: SITE,
      scan: [SITE],
      notes: [`there is no ${MANIFEST}, so only the site was checked, against its public manifest`],
    };
  return null;
}

/** Compares OUT (and, given a project, its inputs and configuration) with its manifest; or a site folder with its public one. */
export async function verifyBuild(
  outDir: string,
  projectDir: string | null,
  c2cRoot: string,
  effects: Effects,
): Promise<Verification> {
  const differences: Difference[] = [];
  const checked = { outputs: 0, inputs: 0, config: false };
  const found = await findManifest(outDir, effects);
  const notes = [...(found?.notes ?? [])];
  const manifestPath = found?.manifest ?? MANIFEST;
  const done = (): Verification => ({
    ok: differences.length === 0,
    manifest: manifestPath,
    checked,
    differences,
    notes,
  });
  for (const leftover of await interruptedOutputs(outDir, effects))
    notes.push(
      `${leftover} was left by a build that was stopped; it is not published, and the next \`c2c build\` removes it`,
    );
  if (found === null) {
    differences.push({
      kind: "unreadable",
      what: "manifest",
      path: MANIFEST,
      expected: null,
      actual: `not found: ${outDir} holds no c2c build (${MANIFEST}) and is no c2c site (${PUBLIC_MANIFEST})`,
    });
    return done();
  }
  let manifest: Partial<BuildManifest>;
  try {
    manifest = JSON.parse(new TextDecoder().decode(await effects.readFile(path.join(outDir, found.manifest))));
  } catch (e) {
    differences.push({ kind: "unreadable", what: "manifest", path: found.manifest, expected: null, actual: reason(e) });
    return done();
  }
  if (!Array.isArray(manifest.outputs)) {
    differences.push({
      kind: "missing",
      what: "manifest",
      path: found.manifest,
      expected: "a list of output files (build again with this version of c2c)",
      actual: null,
    });
    return done();
  }

  const rel = (p: string) => (found.base === "" ? p : `${found.base}/${p}`);
  const listed = new Set<string>([found.manifest]);
  for (const output of manifest.outputs) {
    const p = rel(output.path);
    listed.add(p);
    checked.outputs++;
    const file = path.join(outDir, p);
    if (!(await effects.exists(file))) {
      differences.push({ kind: "missing", what: "output", path: p, expected: output.sha256, actual: null });
      continue;
    }
    const actual = await readHash(file, effects);
    if (actual !== output.sha256)
      differences.push({ kind: "changed", what: "output", path: p, expected: output.sha256, actual });
  }
  for (const folder of found.scan) {
    const dir = path.join(outDir, folder);
    if (!(await effects.exists(dir))) continue;
    for (const file of await effects.listFiles(dir)) {
      const p = folder === "" ? file : `${folder}/${file}`;
      if (!listed.has(p))
        differences.push({ kind: "unexpected", what: "output", path: p, expected: null, actual: null });
    }
  }

  if (projectDir !== null) {
    if (!Array.isArray(manifest.inputs)) {
      differences.push({
        kind: "unreadable",
        what: "manifest",
        path: MANIFEST,
        expected: null,
        actual: `the site's public manifest holds no input checksums; check the inputs against the build's own OUT/${MANIFEST}`,
      });
      return done();
    }
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
          expected: manifest.configHash ?? null,
          actual: project.configHash,
        });
    } catch (e) {
      if (!(e instanceof ProjectError)) throw e;
      differences.push({
        kind: "unreadable",
        what: "config",
        path: "c2c.config.yaml",
        expected: manifest.configHash ?? null,
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

/** The differences as an analyst reads them: one line each, then the notes and a summary. */
export function formatVerification(v: Verification, outDir: string): string {
  const short = (h: string | null) => (h === null ? "none" : h === "" ? "unreadable" : h.slice(0, 12));
  const name = path.posix.basename(v.manifest);
  const describe: Record<DifferenceKind, (d: Difference) => string> = {
    changed: (d) => `changed     ${d.what} ${d.path}: sha256 ${short(d.actual)}…, ${name} says ${short(d.expected)}…`,
    missing: (d) =>
      `missing     ${d.what} ${d.path}${d.expected ? `: ${name} expects ${d.what === "manifest" ? d.expected : `sha256 ${short(d.expected)}…`}` : ""}`,
    unexpected: (d) => `unexpected  ${d.what} ${d.path}: not in ${name}`,
    unreadable: (d) => `unreadable  ${d.what} ${d.path}: ${d.actual ?? "could not be read"}`,
  };
  const lines = v.differences.map((d) => describe[d.kind](d));
  for (const note of v.notes) lines.push(`note: ${note}.`);
  const what = [
    plural(v.checked.outputs, "output file"),
    ...(v.checked.inputs > 0 ? [plural(v.checked.inputs, "input file")] : []),
    ...(v.checked.config ? ["the configuration"] : []),
  ].join(", ");
  lines.push(
    v.ok
      ? `${outDir} matches its ${v.manifest} (${what}).`
      : `${plural(v.differences.length, "difference")} from ${path.join(outDir, v.manifest)} (checked ${what}).`,
  );
  return `${lines.join("\n")}\n`;
}

export const verifyCommand: Command = {
  name: "verify",
  summary: "check a built OUT, or a published copy of its site, (and the inputs) against the manifest",
  help: VERIFY_HELP,
  options: {
    project: { type: "string" },
    json: { type: "boolean" },
  },
  positionals: {
    min: 1,
    max: 1,
    usage: "takes one folder: the build's OUT (holding site/ and private/), or a copy of its site",
  },
  async run(args, ctx) {
    const outDir = args.positionals[0] as string;
    const v = await verifyBuild(outDir, stringOption(args, "project") ?? null, ctx.c2cRoot, ctx.effects);
    ctx.stdout(flag(args, "json") ? `${JSON.stringify(v, null, 2)}\n` : formatVerification(v, outDir));
    return v.ok ? 0 : 1;
  },
};
