import path from "node:path";
import type { Config } from "../../schemas/index.ts";
import type { Effects } from "../effects.ts";
import { describeRefusal, type Refusal, RefusedFileError } from "../files/path-kind.ts";
import { formatSize } from "../files/read-limits.ts";
import type { ConfigError } from "./config-error.ts";

/**
 * Paths the project's own files name must stay inside the project, after links are followed:
 * c2c reads nothing of the project's from elsewhere, so nothing from outside reaches its outputs.
 */

/** The config's keys that name a file, each relative to the project folder. */
function namedPaths(config: Config): { key: string; value: string }[] {
  return config.boundaries === undefined ? [] : [{ key: "boundaries", value: config.boundaries }];
}

/**
 * A coded error for each path the config names that leads out of the project (written so, or
 * through a link), or is something c2c does not open (a FIFO, a device, a folder). A path to
 * nothing is left to the reader of that file, which says so.
 */
export async function checkConfigPaths(root: string, config: Config, effects: Effects): Promise<ConfigError[]> {
  const errors: ConfigError[] = [];
  for (const { key, value } of namedPaths(config)) {
    const error = (code: string, message: string, fix: string) =>
      errors.push({ file: "c2c.config.yaml", line: null, key, code, message, fix });
    const outside = () =>
      error(
        "path-outside-project",
        `\`${value}\` is outside the project folder; c2c reads only files inside it.`,
        `Put the file inside the project folder (such as boundaries/districts.geojson) and name it relative to the folder.`,
      );
    const absolute = path.resolve(root, value);
    const rel = path.relative(root, absolute);
    if (path.isAbsolute(value) || rel === ".." || rel.startsWith(`..${path.sep}`)) {
      outside();
      continue;
    }
    const found = await effects.inspect(absolute, { within: root });
    if (found.kind === "file" || found.kind === "missing") continue;
    if (found.kind === "link-outside")
      error(
        "path-outside-project",
        `\`${value}\` is a link to \`${found.target}\`, outside the project folder; c2c reads only files inside it.`,
        "Copy the file itself into the project folder in place of the link.",
      );
    else error(...errorOf(found));
  }
  return errors;
}

/** The code, message and fix of a project file c2c refused to read. */
function errorOf(refusal: Refusal): [string, string, string] {
  if (refusal.kind === "denied" || refusal.kind === "unreadable" || refusal.kind === "unlisted")
    return ["path-unreadable", "c2c has no permission to read the file.", "Let the account that runs c2c read it."];
  if (refusal.kind === "link-outside")
    return [
      "path-outside-project",
      `the file is a link to \`${refusal.target}\`, outside the project folder; c2c reads only files inside it.`,
      "Copy the file itself into the project folder in place of the link.",
    ];
  if (refusal.kind === "too-large")
    return [
      "path-too-large",
      `the file is ${formatSize(refusal.size)}, more than the ${formatSize(refusal.limit)} c2c reads of a project file.`,
      "Check that this is the right file.",
    ];
  return [
    "path-not-a-file",
    `the file could not be read: ${describeRefusal(refusal)}.`,
    "Put a regular file there (saved or copied, not a link to one outside the project, a pipe or a device).",
  ];
}

/**
 * The error for a project file (config, partners, catalog, schemas) that could not be read: coded
 * when c2c refused it, else as before, "could not be read".
 */
export function unreadableProjectFile(file: string, e: unknown): ConfigError {
  if (e instanceof RefusedFileError) {
    const [code, message, fix] = errorOf(e.refusal);
    return { file, line: null, key: null, code, message, fix };
  }
  return {
    file,
    line: null,
    key: null,
    message: "the file could not be read.",
    fix: "Check that it exists and can be read.",
  };
}
