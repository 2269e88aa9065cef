import path from "node:path";
import type { Config } from "../../schemas/index.ts";
import type { Effects } from "../effects.ts";
import { type Refusal, RefusedFileError } from "../files/path-kind.ts";
import type { ConfigMessage } from "../messages/config/index.ts";
import { type ConfigError, configError } from "./config-error.ts";

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
    const at = { file: "c2c.config.yaml", line: null, key };
    const absolute = path.resolve(root, value);
    const rel = path.relative(root, absolute);
    if (path.isAbsolute(value) || rel === ".." || rel.startsWith(`..${path.sep}`)) {
      errors.push(configError(at, { code: "path-outside-project", params: { via: "path", value } }));
      continue;
    }
    const found = await effects.inspect(absolute, { within: root });
    if (found.kind === "file" || found.kind === "missing") continue;
    errors.push(
      configError(
        at,
        found.kind === "link-outside"
          ? { code: "path-outside-project", params: { via: "link", value, target: found.target } }
          : refusalMessage(found),
      ),
    );
  }
  return errors;
}

/** The coded mistake of a project file c2c refused to read. */
export function refusalMessage(refusal: Refusal): ConfigMessage {
  switch (refusal.kind) {
    case "denied":
    case "unreadable":
    case "unlisted":
      return { code: "path-unreadable", params: { what: "file" } };
    case "link-outside":
      return { code: "path-outside-project", params: { via: "file-link", target: refusal.target } };
    case "too-large":
      return { code: "path-too-large", params: { size: refusal.size, limit: refusal.limit } };
    case "folder":
      return { code: "path-not-a-file", params: { found: "folder", link: refusal.link } };
    case "special":
      return { code: "path-not-a-file", params: { found: "special", special: refusal.type, link: refusal.link } };
    case "link-broken":
      return { code: "path-not-a-file", params: { found: "link-broken", target: refusal.target } };
    case "stalled":
      return { code: "path-not-a-file", params: { found: "stalled", seconds: refusal.seconds } };
    case "missing":
    case "link-loop":
      return { code: "path-not-a-file", params: { found: refusal.kind } };
  }
}

/**
 * The error for a project file (config, partners, catalog, schemas) that could not be read: coded
 * by why c2c refused it, else "could not be read".
 */
export function unreadableProjectFile(file: string, e: unknown): ConfigError {
  const at = { file, line: null, key: null };
  return configError(
    at,
    e instanceof RefusedFileError ? refusalMessage(e.refusal) : { code: "file-unreadable", params: {} },
  );
}
