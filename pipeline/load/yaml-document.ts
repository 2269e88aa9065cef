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
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator === undefined || options === undefined || options.length === 0)
        return { code: "value-invalid", params: seen };
      const input = issue.input;
      const value =
        input !== null && typeof input === "object" ? (input as Record<string, unknown>)[discriminator] : undefined;
      return {
        code: "discriminator-invalid",
        params: { key: discriminator, allowed: options.map((o) => String(o)), ...seenOf(value) },
      };
    }
    case "invalid_key":
      return { code: "key-invalid", params: { origin: issue.origin, ...seen } };
    case "too_small":
    case "too_big": {
      const bound = {
        origin: issue.origin ?? "value",
        limit: String(issue.code === "too_small" ? issue.minimum : issue.maximum),
        inclusive: issue.inclusive ?? false,
        exact: issue.exact ?? false,
      };
      return { code: issue.code === "too_small" ? "value-too-small" : "value-too-big", params: { ...bound, ...seen } };
    }
    case "invalid_format": {
      const { pattern, prefix, suffix, includes } = issue as {
        pattern?: string;
        prefix?: string;
        suffix?: string;
        includes?: string;
      };
      return {
        code: "format-invalid",
        params: { format: issue.format, pattern: pattern ?? prefix ?? suffix ?? includes ?? "", ...seen },
      };
    }
    case "not_multiple_of":
      return { code: "not-multiple", params: { divisor: String(issue.divisor), ...seen } };
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
