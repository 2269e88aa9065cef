import { beforeAll, describe, expect, it } from "vitest";
import { memoryEffects } from "../../effects-memory.ts";
import { REPO_ROOT } from "../../test-support/load-fixture.ts";
import type { GroupBar } from "./charts.ts";
import { createLocale, type Locale } from "./format.ts";
import { loadSiteAssets } from "./load-site-assets.ts";
import { groupSentence, shownPair } from "./sentences.ts";

/**
 * A parent reading "Male (51%) and Female (51%), a gap of 1 point" does the subtraction and stops
 * trusting the page. The figures a sentence names and the difference it states must agree as
 * printed: whole percents where they differ, a tenth where whole percents would hide a difference,
 * and "the same" where they do not differ even to a tenth.
 */
let en: Locale;
let es: Locale;
beforeAll(async () => {
  const assets = await loadSiteAssets(memoryEffects({}, { readDisk: true }), REPO_ROOT);
  en = createLocale("en", assets.strings.en);
  es = createLocale("es", assets.strings.es);
});

function bar(label: string, value: number): GroupBar {
  return { group: label.toLowerCase(), label, value, lower: null, upper: null, colour: "#000", note: "" };
}

describe("the figures a sentence names add up as printed", () => {
  it("states the gap between the whole percents it shows", () => {
    // 85.6% and 65.4%: 20.2 points apart, but 86% and 65% are 21 apart on the page.
    const s = groupSentence(en, "race/ethnicity", [bar("White", 0.856), bar("Black", 0.654)], "2025");
    expect(s).toBe(
      "In 2025, by race/ethnicity, the share was highest for White (86%) and lowest for Black (65%), a gap of 21 points.",
    );
  });

  it("shows a tenth where whole percents would read the same", () => {
    const s = groupSentence(en, "gender", [bar("Male", 0.5118), bar("Female", 0.5052)], "2024–25");
    expect(s).toContain("highest for Male (51.2%) and lowest for Female (50.5%), a gap of 0.7 points.");
    expect(groupSentence(es, "género", [bar("Masculino", 0.5118), bar("Femenino", 0.5052)], "2024–25")).toContain(
      "Masculino (51.2%)",
    );
  });

  it("says the groups are the same where they are, even to a tenth", () => {
    const s = groupSentence(en, "gender", [bar("Male", 0.5101), bar("Female", 0.5098)], "2024–25");
    expect(s).toBe("In 2024–25, by gender, the share was the same for the 2 groups shown: 51%.");
  });

  it("pairs shares the same way for any two, whatever their order", () => {
    for (const [a, b] of [
      [0.0824, 0.0783],
      [0.5, 0.5],
      [0.123, 0.987],
      [0.33349, 0.33351],
    ] as const) {
      const p = shownPair(en, a, b);
      const printed = (t: string) => Number(t.replace("%", ""));
      expect(Math.round((printed(p.a) - printed(p.b)) * 10) / 10).toBeCloseTo(p.difference * 100, 6);
      expect(shownPair(en, b, a).difference).toBeCloseTo(-p.difference, 9);
    }
  });
});

describe("a change since the baseline", () => {
  it("is shown to a tenth under a point, so progress never reads as 0 points", () => {
    expect(en.signedPoints(-0.0041)).toBe("−0.4 points");
    expect(en.signedPoints(0.0004)).toBe("0 points");
    expect(en.signedPoints(0.032)).toBe("+3 points");
    expect(en.signedPoints(0.01)).toBe("+1 point");
  });
});
