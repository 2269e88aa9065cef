/** What a page says, as a reader reads it: its text, its figures as shown, its chart specs. */

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };

/** The text of a piece of HTML, tags dropped, entities decoded, white space folded. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (all, name: string) => {
      if (name.startsWith("#x")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith("#") && name !== "#39") return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? all;
    })
    .replace(/\s+/g, " ")
    .trim();
}

export function pageLanguage(html: string): string {
  return /<html[^>]*\blang="([^"]+)"/.exec(html)?.[1] ?? "";
}

/** A number as shown: its value and how many decimals it was shown with. */
export interface Shown {
  value: number;
  decimals: number;
  text: string;
}

export function shownNumber(text: string): Shown {
  const clean = /[+-]?\d+(?:\.\d+)?/.exec(text.replace(/−/g, "-").replace(/,/g, ""))?.[0] ?? "NaN";
  const decimals = /\.(\d+)/.exec(clean)?.[1]?.length ?? 0;
  return { value: Number(clean), decimals, text };
}

/** `2024–25` is the school year ending in 2025; `2025` is 2025. */
export function yearOf(label: string): number {
  const school = /^(\d{4})[–-](\d{2})$/.exec(label.trim());
  if (school) return Number(school[1]) + 1;
  return Number(label.trim());
}

/** Rounds as a page would show `value` with `decimals` decimals. */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f + 1e-9) / f;
}

/** Whether a shown number is `value` (a share between 0 and 1) in percent at the precision shown. */
export function showsPercent(shown: Shown, value: number): boolean {
  return Math.abs(roundTo(value * 100, shown.decimals) - shown.value) < 1e-9;
}

/** The chart specs embedded in a page (compiled Vega, each with its `description` sentence). */
export interface EmbeddedSpec {
  id: string;
  description: string;
  data: { name: string; values: Record<string, unknown>[] }[];
}

export function embeddedSpecs(html: string): EmbeddedSpec[] {
  const specs: EmbeddedSpec[] = [];
  for (const m of html.matchAll(/<script type="application\/json" id="([^"]+)">([\s\S]*?)<\/script>/g)) {
    const spec = JSON.parse(m[2] ?? "{}") as { description?: unknown; data?: unknown };
    const data = Array.isArray(spec.data) ? spec.data : [];
    specs.push({
      id: m[1] ?? "",
      description: typeof spec.description === "string" ? spec.description : "",
      data: data
        .filter((d): d is { name: string; values: Record<string, unknown>[] } => Array.isArray(d?.values))
        .map((d) => ({ name: String(d.name), values: d.values })),
    });
  }
  return specs;
}

/** The words each language uses for the claims the check reads. */
export interface ClaimWords {
  better: RegExp;
  worse: RegExp;
  higherIsBetter: RegExp;
  lowerIsBetter: RegExp;
  points: string;
  noGroupBehind: RegExp;
  movingHeadline: RegExp;
  gapsHeadline: RegExp;
  rangeSentence: RegExp;
  trendSentence: RegExp;
  mapSentence: RegExp;
  /** "The largest gaps in 2024–25: …." and one item of its list. */
  gapList: RegExp;
  gapItem: RegExp;
  /** A gaps-over-time chart's sentence. */
  gapTrendSentence: RegExp;
  everyone: string;
}

const N = "([+−-]?\\d[\\d,]*(?:\\.\\d+)?)";
const YEAR = "(\\d{4}(?:[–-]\\d{2})?)";

export const CLAIM_WORDS: Record<string, ClaimWords> = {
  en: {
    better: /Better than the baseline/,
    worse: /Worse than the baseline/,
    higherIsBetter: /Higher is better|A higher share is better/,
    lowerIsBetter: /Lower is better|A lower share is better/,
    points: "points?",
    noGroupBehind: /No group behind/,
    movingHeadline: /moving in the right direction[^:]*: (\d+) out of (\d+)/,
    gapsHeadline: /narrowing since the baseline: (\d+) out of (\d+)/,
    rangeSentence: new RegExp(
      `In ${YEAR}, by ([^,]+), the share was highest for (.+?) \\(${N}%\\) and lowest for (.+?) \\(${N}%\\), a gap of ${N} points?`,
      "g",
    ),
    trendSentence: new RegExp(
      `(?:rose|fell) from ${N}% in ${YEAR} to ${N}% in ${YEAR}, (an improvement|a change) of ${N} points?`,
      "g",
    ),
    mapSentence: new RegExp(
      `In ${YEAR}, .*?, (.+?) had the highest share \\(${N}%\\) and (.+?) the lowest \\(${N}%\\)`,
      "g",
    ),
    gapList: new RegExp(`The largest gaps in ${YEAR}: (.+?)\\.(?: |$)`, "g"),
    gapItem: new RegExp(`^(.+?), ${N} points? (behind|ahead of) (.+?)(?:, (narrowing|not narrowing) since ${YEAR})?$`),
    gapTrendSentence: new RegExp(
      `the largest gap in ${YEAR} is for (.+?), ${N} points? (behind|ahead of) ([^;]+); in ${YEAR} it was ${N} points? [^,]*, so it has (narrowed|widened|not changed)`,
      "g",
    ),
    everyone: "everyone",
  },
  es: {
    better: /Mejor que en el año base/,
    worse: /Peor que en el año base/,
    higherIsBetter: /Más alto es mejor|Un porcentaje más alto es mejor/,
    lowerIsBetter: /Más bajo es mejor|Un porcentaje más bajo es mejor/,
    points: "puntos?",
    noGroupBehind: /Ningún grupo por detrás/,
    movingHeadline: /avanzan en la buena dirección[^:]*: (\d+) \(de un total de (\d+)\)/,
    gapsHeadline: /se reducen desde el año base: (\d+) \(de un total de (\d+)\)/,
    rangeSentence: new RegExp(
      `En ${YEAR}, por ([^,]+), el porcentaje más alto fue el de (.+?) \\(${N}%\\) y el más bajo el de (.+?) \\(${N}%\\), una brecha de ${N} puntos?`,
      "g",
    ),
    trendSentence: new RegExp(
      `(?:subió|bajó) del ${N}% en ${YEAR} al ${N}% en ${YEAR}, (una mejora|un cambio) de ${N} puntos?`,
      "g",
    ),
    mapSentence: new RegExp(
      `En ${YEAR}, .*?, (.+?) tuvo el porcentaje más alto \\(${N}%\\) y (.+?) el más bajo \\(${N}%\\)`,
      "g",
    ),
    gapList: new RegExp(`Las mayores brechas en ${YEAR}: (.+?)\\.(?: |$)`, "g"),
    gapItem: new RegExp(
      `^(.+?), ${N} puntos? (por detrás de|por delante de) (.+?)(?:, (que se reduce|que no se reduce) desde ${YEAR})?$`,
    ),
    gapTrendSentence: new RegExp(
      `la mayor brecha en ${YEAR} es la de (.+?), ${N} puntos? (por detrás de|por delante de) ([^;]+); en ${YEAR} era de ${N} puntos? [^,]*, así que se ha (reducido|ampliado|mantenido igual)`,
      "g",
    ),
    everyone: "todos",
  },
};
