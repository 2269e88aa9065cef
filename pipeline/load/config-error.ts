/** A mistake in the project's own files (config, partners, indicators, schemas): where, what, and the fix. */
export interface ConfigError {
  /** Project-relative path, or a c2c asset path. */
  file: string;
  line: number | null;
  /** The key path, e.g. `partners[2].extracts[0].schema`. */
  key: string | null;
  message: string;
  fix: string;
  /** A stable code, for the mistakes that have one (a path that leaves the project, one c2c cannot read). */
  code?: string;
}

/** `file:line: key: message. fix` — one line an analyst can act on. */
export function formatConfigError(e: ConfigError): string {
  const where = `${e.file}${e.line !== null ? `:${e.line}` : ""}`;
  return `${where}: ${e.key ? `${e.key}: ` : ""}${e.message}${e.fix ? ` ${e.fix}` : ""}${e.code ? ` [${e.code}]` : ""}`;
}

/** Thrown when the project cannot be loaded; carries every error found, never just the first. */
export class ProjectError extends Error {
  readonly errors: ConfigError[];
  constructor(errors: ConfigError[]) {
    super(errors.map(formatConfigError).join("\n"));
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
