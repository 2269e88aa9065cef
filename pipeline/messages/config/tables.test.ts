import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../message.ts";
import { CONFIG_TEXTS, renderConfigMessage } from "./index.ts";

describe("the configuration messages' tables", () => {
  const codes = Object.keys(CONFIG_TEXTS.en).sort();

  it.each(LANGUAGES)("give every code a message and a fix in %s", (language) => {
    expect(Object.keys(CONFIG_TEXTS[language]).sort()).toEqual(codes);
    for (const entry of Object.values(CONFIG_TEXTS[language])) {
      expect(typeof entry.message).toBe("function");
      expect(typeof entry.fix).toBe("function");
    }
  });

  it("word one mistake in each language from the same code and parameters", () => {
    const m = { code: "config-missing", params: { root: "/p" } } as const;
    const en = renderConfigMessage(m, "en");
    const es = renderConfigMessage(m, "es");
    expect(en.message).toBe("there is no c2c.config.yaml in /p.");
    expect(es.message).toContain("/p");
    expect(es.message).not.toBe(en.message);
    expect(es.fix).not.toBe(en.fix);
  });
});
