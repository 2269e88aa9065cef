import type { Language } from "../message.ts";
import type { ConfigMessage, ConfigTable } from "./codes.ts";
import { CONFIG_EN } from "./en.ts";
import { CONFIG_ES } from "./es.ts";

export * from "./codes.ts";

/** The configuration mistakes' words, by language. */
export const CONFIG_TEXTS: { readonly [L in Language]: ConfigTable } = { en: CONFIG_EN, es: CONFIG_ES };

/** What is wrong and the fix, in one language. */
export function renderConfigMessage(m: ConfigMessage, language: Language): { message: string; fix: string } {
  // One code's entry, typed by that code's params: the union is narrowed by `code` at run time.
  const entry = CONFIG_TEXTS[language][m.code] as {
    message: (p: typeof m.params) => string;
    fix: (p: typeof m.params) => string;
  };
  return { message: entry.message(m.params), fix: entry.fix(m.params) };
}
