import type { Language } from "./message.ts";

const LOCALES: { readonly [L in Language]: string } = { en: "en-US", es: "es" };

/** A size as a person reads it, in a language: `16 GB`, `2.5 MB` (`2,5 MB`), `812 bytes`. */
export function formatSizeIn(bytes: number, language: Language): string {
  const locale = LOCALES[language];
  for (const [unit, size] of [
    ["TB", 1e12],
    ["GB", 1e9],
    ["MB", 1e6],
    ["kB", 1e3],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1)).toLocaleString(locale)} ${unit}`;
  }
  return `${bytes.toLocaleString(locale)} bytes`;
}
