import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { type ConfigError, formatKeyPath } from "./config-error.ts";

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: ConfigError[] };

/**
 * Parses a YAML file and validates it with a zod schema. Every error names the line and the key
 * and says how to fix it, in the words of the schema.
 */
export function parseYamlDocument<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): ParseResult<z.output<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line ?? null,
        key: null,
        message: `this is not valid YAML: ${e.message.split("\n")[0]}`,
        fix: "Check the indentation and that every quote and bracket is closed.",
      })),
    };
  }
  const parsed = schema.safeParse(doc.toJS(), { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };

  const lineOf = (path: readonly PropertyKey[]): number | null => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return null;
  };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const path = issue.path as PropertyKey[];
      const unknownKeys = issue.code === "unrecognized_keys" ? issue.keys : [];
      const keyPath = unknownKeys.length > 0 ? [...path, unknownKeys[0] as string] : path;
      return {
        file,
        line: lineOf(keyPath),
        key: formatKeyPath(keyPath) || null,
        message: describeIssue(issue),
        fix: fixFor(issue),
      };
    }),
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `${issue.keys.map((k) => `\`${k}\``).join(", ")} ${issue.keys.length === 1 ? "is not a key" : "are not keys"} c2c knows here.`;
    case "invalid_type":
      return issue.input === undefined
        ? "this key is required but missing."
        : `expected ${issue.expected}, found ${describeValue(issue.input)}.`;
    case "invalid_value":
      return `${describeValue(issue.input)} is not one of ${issue.values.map((v) => `\`${String(v)}\``).join(", ")}.`;
    default:
      return `${issue.message.replace(/^Invalid input: /, "")}${issue.input !== undefined ? ` (found ${describeValue(issue.input)})` : ""}.`;
  }
}

function fixFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return "Check the spelling, or remove the key.";
    case "invalid_type":
      return issue.input === undefined
        ? `Add it (${issue.expected}).`
        : `Write ${issue.expected === "array" ? "a list" : `a ${issue.expected}`} here.`;
    case "invalid_value":
      return "Use one of the listed values.";
    default:
      return "";
  }
}

function describeValue(v: unknown): string {
  if (v === null) return "an empty value";
  if (typeof v === "string") return `\`${v}\``;
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `\`${String(v)}\``;
}
