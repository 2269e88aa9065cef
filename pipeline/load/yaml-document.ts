import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { isSchemaIssueCode, type SchemaIssueCodes } from "../../schemas/issue-codes.ts";
import type { ConfigMessage, Seen } from "../messages/config/index.ts";
import { type ConfigError, configError, formatKeyPath } from "./config-error.ts";

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: ConfigError[] };

/**
 * Parses a YAML file and validates it with a zod schema. Every error names the line and the key,
 * with its code and the values it found.
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
      errors: doc.errors.map((e) =>
        configError(
          { file, line: e.linePos?.[0]?.line ?? null, key: null },
          { code: "yaml-invalid", params: { detail: e.message.split("\n")[0] ?? "" } },
        ),
      ),
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
      return configError({ file, line: lineOf(keyPath), key: formatKeyPath(keyPath) || null }, codeOf(issue));
    }),
  };
}

/** A zod issue as a configuration mistake: the schema's own code where it has one, else zod's kind. */
export function codeOf(issue: z.core.$ZodIssue): ConfigMessage {
  const seen = seenOf(issue.input);
  if (isSchemaIssueCode(issue.message)) {
    // The schemas' refinements report their params through `schemaIssue`, typed by their code.
    const given = (issue.code === "custom" ? issue.params : undefined) as SchemaIssueCodes[typeof issue.message];
    return { code: issue.message, params: { ...given, ...seen } } as ConfigMessage;
  }
  switch (issue.code) {
    case "unrecognized_keys":
      return { code: "key-unknown", params: { keys: issue.keys } };
    case "invalid_type":
      return issue.input === undefined
        ? { code: "key-missing", params: { expected: issue.expected } }
        : { code: "type-wrong", params: { expected: issue.expected, ...seen } };
    case "invalid_value":
      return { code: "value-not-allowed", params: { allowed: issue.values.map((v) => String(v)), ...seen } };
    case "invalid_union": {
      // A discriminated union (`kind:`, `type:`) whose discriminator names no variant.
      const discriminator = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: unknown[] }).options;
      if (discriminator !== undefined && options !== undefined) {
        const input = issue.input as Record<string, unknown> | undefined;
        const value = input !== null && typeof input === "object" ? input[discriminator] : undefined;
        return { code: "value-not-allowed", params: { allowed: options.map((v) => String(v)), ...seenOf(value) } };
      }
      return { code: "value-invalid", params: seen };
    }
    case "invalid_key": {
      // A record's key: what its own schema says of it, the key being the value found.
      const inner = issue.issues[0];
      return inner
        ? codeOf({ ...inner, input: issue.input } as z.core.$ZodIssue)
        : { code: "value-invalid", params: seen };
    }
    case "too_small":
    case "too_big": {
      const limit = String(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const params = { origin: String(issue.origin), limit, inclusive: issue.inclusive ?? true, ...seen };
      return issue.code === "too_small" ? { code: "value-too-small", params } : { code: "value-too-big", params };
    }
    case "invalid_format":
      return { code: "format-invalid", params: { format: issue.format, ...seen } };
    default:
      return { code: "value-invalid", params: seen };
  }
}

function seenOf(v: unknown): Seen {
  if (v === undefined) return { found: "none", value: "" };
  if (v === null) return { found: "empty", value: "" };
  if (Array.isArray(v)) return { found: "list", value: "" };
  if (typeof v === "object") return { found: "mapping", value: "" };
  return { found: "value", value: String(v) };
}
