/**
 * Messages as data: a stable code and typed parameters, turned into words only at the edges (the
 * terminal, a partner report, JSON, the site) from one catalogue with a table per language.
 */

/** The languages every message has a text in. */
export const LANGUAGES = ["en", "es"] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** What a message's parameters may hold: plain values a template can print. */
export type ParamValue = string | number | boolean | readonly string[] | undefined;
export type MessageParams = { readonly [name: string]: ParamValue };

/** A message as data. `Codes` maps each code to the type of its parameters. */
export type Message<Codes extends { [code: string]: MessageParams }> = {
  [C in keyof Codes & string]: { readonly code: C; readonly params: Codes[C] };
}[keyof Codes & string];

/** One language's texts: a function per code, typed by that code's parameters. */
export type MessageTable<Codes extends { [code: string]: MessageParams }> = {
  readonly [C in keyof Codes & string]: (params: Codes[C]) => string;
};
