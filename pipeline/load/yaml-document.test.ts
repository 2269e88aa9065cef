import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigSchema, IndicatorSchema } from "../../schemas/index.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { type ConfigError, describeConfigError } from "./config-error.ts";
import { parseYamlDocument } from "./yaml-document.ts";

/** What an analyst reads of a mistake, in English. */
const words = (e: ConfigError | undefined) => (e ? describeConfigError(e).message : undefined);

describe("parseYamlDocument", () => {
  it("returns the validated value with defaults filled in", () => {
    const r = parseYamlDocument(
      "partnership:\n  name: P\n  introduction: I\ncommunity:\n  id: town\n  name: Town\n",
      "c2c.config.yaml",
      ConfigSchema,
    );
    expect(r.ok && r.value.privacy.minimumCount).toBe(10);
  });

  it("names the file, line and key of every mistake, with a fix", () => {
    const text =
      "partnership:\n  name: P\n  introduction: I\ncommunity:\n  id: Town Name\n  name: Town\nprivacy:\n  minimumCount: ten\n  minimumCuont: 5\n";
    const r = parseYamlDocument(text, "c2c.config.yaml", ConfigSchema);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.file, e.line, e.key])).toEqual([
      ["c2c.config.yaml", 5, "community.id"],
      ["c2c.config.yaml", 8, "privacy.minimumCount"],
      ["c2c.config.yaml", 9, "privacy.minimumCuont"],
    ]);
    expect(words(r.errors[1])).toBe("expected number, found `ten`.");
    expect(words(r.errors[2])).toContain("`minimumCuont` is not a key");
  });

  it("refuses a minimum count below 3, in the partnership's policy and in an indicator's, naming line and key", () => {
    const config = parseYamlDocument(
      "partnership:\n  name: P\n  introduction: I\ncommunity:\n  id: town\n  name: Town\nprivacy:\n  minimumCount: 2\n",
      "c2c.config.yaml",
      ConfigSchema,
    );
    expect(config.ok).toBe(false);
    if (config.ok) return;
    expect(config.errors.map((e) => [e.line, e.key])).toEqual([[8, "privacy.minimumCount"]]);
    expect(words(config.errors[0])).toBe(
      "a minimum count below 3 would publish figures about one or two people (1 of 1, 2 of 2), so c2c does not build with it: use 3 or more (10 is common; 11 for health data) (found `2`).",
    );
    const indicator = readFileSync(path.join(REPO_ROOT, "indicators", "early-grade-reading.yaml"), "utf8");
    for (const [text, key] of [
      [indicator.replace(/^dimensions:/m, "privacy:\n  minimumCount: 1\ndimensions:"), "privacy.minimumCount"],
      [indicator.replace(/^dimensions:/m, "minimumN: 1\ndimensions:"), "minimumN"],
    ] as const) {
      const r = parseYamlDocument(text, "indicators/early-grade-reading.yaml", IndicatorSchema);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.map((e) => e.key)).toEqual([key]);
    }
    const three = parseYamlDocument(
      indicator.replace(/^dimensions:/m, "privacy:\n  minimumCount: 3\ndimensions:"),
      "indicators/early-grade-reading.yaml",
      IndicatorSchema,
    );
    expect(three.ok).toBe(true);
  });

  it("reports broken YAML with its line", () => {
    const r = parseYamlDocument("partnership:\n  name: [P\n", "c2c.config.yaml", ConfigSchema);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(words(r.errors[0])).toMatch(/not valid YAML/);
  });
});
