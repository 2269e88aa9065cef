import type { SchemaIssueCodes } from "../../../schemas/issue-codes.ts";
import type { Message } from "../message.ts";

/**
 * What a YAML value was, as a message names it: nothing (a key left out), an empty value, a list,
 * a mapping, or a value (`value` holds it).
 */
export type Seen = { found: "none" | "empty" | "list" | "mapping" | "value"; value: string };

/** Why a path the project names is not a file c2c reads. */
export type NotAFile =
  | { found: "folder"; link: boolean }
  | { found: "special"; special: "fifo" | "socket" | "device" | "other"; link: boolean }
  | { found: "missing" | "link-loop" }
  | { found: "link-broken"; target: string }
  | { found: "stalled"; seconds: number };

/** A size or length zod found beyond its bound: of a `string`, an `array`, a `number`... */
export type Bound = { origin: string; limit: string; inclusive: boolean; exact: boolean };

/** Every mistake in the project's own files, by code, with the type of its parameters. */
export type ConfigCodes = {
  [C in keyof SchemaIssueCodes]: SchemaIssueCodes[C] & Seen;
} & {
  // The files themselves.
  "config-missing": { root: string };
  "file-unreadable": Record<never, never>;
  "yaml-invalid": { detail: string };
  "path-outside-project":
    | { via: "path"; value: string }
    | { via: "link"; value: string; target: string }
    | { via: "file-link" | "data-link"; target: string };
  "path-unreadable": { what: "file" | "data-folder" | "data-listing" };
  "path-too-large": { size: number; limit: number };
  "path-not-a-file": NotAFile;
  "path-not-a-folder": Record<never, never>;
  // What zod finds in a file's shape; the params are zod's issue, the words c2c's own.
  "key-unknown": { keys: readonly string[] };
  "key-missing": { expected: string };
  "type-wrong": { expected: string } & Seen;
  "value-not-allowed": { allowed: readonly string[] } & Seen;
  /** `kind:` or `type:` names no variant; what was seen is the discriminator's value. */
  "discriminator-invalid": { key: string; allowed: readonly string[] } & Seen;
  /** A key of a mapping whose keys are themselves checked (a mapping's fields); seen is the key. */
  "key-invalid": { origin: string } & Seen;
  "value-too-small": Bound & Seen;
  "value-too-big": Bound & Seen;
  /** `pattern` is what the format asks for (a prefix, a regex), empty when the format says it all. */
  "format-invalid": { format: string; pattern: string } & Seen;
  "not-multiple": { divisor: string } & Seen;
  "value-invalid": Seen;
  // What the files say of each other.
  "id-differs-from-file-name": { id: string; base: string };
  "indicator-id-twice": { id: string };
  "relation-unknown-indicator": { of: string; ids: readonly string[] };
  "catalog-empty": Record<never, never>;
  "field-unknown": { name: string; fields: readonly string[] };
  "vocabulary-unknown": { vocabulary: string; vocabularies: readonly string[] };
  "check-not-boolean": { name: string; type: string };
  "aggregate-group-missing": Record<never, never>;
  "partner-id-twice": { id: string };
  "district-unknown": { district: string; districts: readonly string[] };
  "extract-schema-unknown": { schema: string; schemas: readonly string[] };
  "precedence-unknown-partner": { id: string; partners: readonly string[] };
  "source-kind-mismatch": { schema: string; kind: string; wanted: string };
  "rule-invalid": { rule: string; detail: string };
  "count-field-unknown": { column: string; schema: string; counts: readonly string[] };
  "mapping-target-unknown": { field: string; schema: string; fields: readonly string[] };
  "mapping-rate-not-count": { field: string; type: string };
  "mapping-required-missing": { field: string; title: string; schema: string };
  // The boundary file (read with the site).
  "boundaries-unreadable": Record<never, never>;
  "boundaries-not-json": Record<never, never>;
  "boundaries-not-geojson": { detail: string };
  "boundaries-unknown-district": { id: string; districts: readonly string[] };
};
export type ConfigCode = keyof ConfigCodes & string;

/** A configuration mistake as data: its code and parameters. */
export type ConfigMessage = Message<ConfigCodes>;

/** One language's words for every configuration mistake: what is wrong, and the fix. */
export type ConfigTable = {
  readonly [C in ConfigCode]: {
    readonly message: (params: ConfigCodes[C]) => string;
    readonly fix: (params: ConfigCodes[C]) => string;
  };
};

/**
 * The codes printed after a mistake in the terminal, `[path-outside-project]`, as they always
 * were; the others are in `--json` only, so the terminal reads as it did before codes.
 */
export const CODES_SHOWN: ReadonlySet<ConfigCode> = new Set([
  "path-outside-project",
  "path-unreadable",
  "path-too-large",
  "path-not-a-file",
  "path-not-a-folder",
]);
