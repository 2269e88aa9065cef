/**
 * The codes of the schemas' own checks. A failed check's zod message is its code and its params
 * are the values it found; the words are in pipeline/messages/config, in each language.
 */
export type SchemaIssueCodes = {
  "id-not-kebab": Record<never, never>;
  "id-not-snake": Record<never, never>;
  "code-field-without-vocabulary": Record<never, never>;
  "target-before-baseline": Record<never, never>;
  "translation-notes-mismatch": Record<never, never>;
  "partial-dimension-not-listed": Record<never, never>;
  "relation-to-itself-same-year": Record<never, never>;
  "minimum-count-twice": Record<never, never>;
  "minimum-count-below-floor": { floor: number };
  "coding-without-bound": Record<never, never>;
  "pattern-invalid": { pattern: string; detail: string };
  "field-source-missing": Record<never, never>;
  "field-source-several": { given: readonly string[] };
  "of-without-rate": Record<never, never>;
  "keep-rule-needs-one": Record<never, never>;
  "header-row-past-header": { headerRow: number; headerRows: number };
  "unpivot-without-measure": Record<never, never>;
  "pivot-and-unpivot": Record<never, never>;
};
export type SchemaIssueCode = keyof SchemaIssueCodes;

const CODES: { readonly [C in SchemaIssueCode]: true } = {
  "id-not-kebab": true,
  "id-not-snake": true,
  "code-field-without-vocabulary": true,
  "target-before-baseline": true,
  "translation-notes-mismatch": true,
  "partial-dimension-not-listed": true,
  "relation-to-itself-same-year": true,
  "minimum-count-twice": true,
  "minimum-count-below-floor": true,
  "coding-without-bound": true,
  "pattern-invalid": true,
  "field-source-missing": true,
  "field-source-several": true,
  "of-without-rate": true,
  "keep-rule-needs-one": true,
  "header-row-past-header": true,
  "unpivot-without-measure": true,
  "pivot-and-unpivot": true,
};

export function isSchemaIssueCode(message: string): message is SchemaIssueCode {
  return Object.hasOwn(CODES, message);
}

/** What a schema's refinement reports: its code as the zod message, its values as the params. */
export function schemaIssue<C extends SchemaIssueCode>(
  code: C,
  params: SchemaIssueCodes[C],
): { message: C; params: SchemaIssueCodes[C] } {
  return { message: code, params };
}
