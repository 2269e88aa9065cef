import { CODES_SHOWN, type ConfigMessage, renderConfigMessage } from "../messages/config/index.ts";
import type { Language } from "../messages/message.ts";

/** Where a mistake in the project's own files is: the file, its line, and the key path. */
export interface ConfigLocation {
  /** Project-relative path, or a c2c asset path. */
  file: string;
  line: number | null;
  /** The key path, e.g. `partners[2].extracts[0].schema`. */
  key: string | null;
}

/**
 * A mistake written as English text by a reader not yet moved to codes (the boundary file's, in
 * render/, whose codes `boundaries-*` are in the catalogue): shown as written, in every language.
 */
export interface UncodedConfigText {
  code?: undefined;
  message: string;
  fix: string;
}

/** A mistake in the project's own files (config, partners, indicators, schemas): where, its code and values. */
export type ConfigError = ConfigLocation & (ConfigMessage | UncodedConfigText);

/** A coded mistake at a place. */
export function configError(location: ConfigLocation, message: ConfigMessage): ConfigError {
  return { ...location, ...message };
}

/** What is wrong and the fix, in words. */
export function describeConfigError(e: ConfigError, language: Language = "en"): { message: string; fix: string } {
  return e.code === undefined ? { message: e.message, fix: e.fix } : renderConfigMessage(e, language);
}

/** `file:line: key: message. fix` — one line an analyst can act on. */
export function formatConfigError(e: ConfigError, language: Language = "en"): string {
  const where = `${e.file}${e.line !== null ? `:${e.line}` : ""}`;
  const { message, fix } = describeConfigError(e, language);
  const code = e.code !== undefined && CODES_SHOWN.has(e.code) ? ` [${e.code}]` : "";
  return `${where}: ${e.key ? `${e.key}: ` : ""}${message}${fix ? ` ${fix}` : ""}${code}`;
}

/** A mistake as `--json` prints it: where, the code and params, and the English words. */
export function configErrorJson(e: ConfigError): {
  file: string;
  line: number | null;
  key: string | null;
  code?: string;
  params?: ConfigMessage["params"];
  message: string;
  fix: string;
} {
  const { message, fix } = describeConfigError(e);
  const where = { file: e.file, line: e.line, key: e.key };
  return e.code === undefined ? { ...where, message, fix } : { ...where, code: e.code, params: e.params, message, fix };
}

/** Thrown when the project cannot be loaded; carries every error found, never just the first. */
export class ProjectError extends Error {
  readonly errors: ConfigError[];
  constructor(errors: ConfigError[]) {
    super(errors.map((e) => formatConfigError(e)).join("\n"));
    this.name = "ProjectError";
    this.errors = errors;
  }
}

/** Renders a key path the way the YAML reads: `partners[2].extracts[0].schema`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
