import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../schemas/index.ts";
import { parseYamlDocument } from "./yaml-document.ts";

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
    expect(r.errors[1]?.message).toBe("expected number, found `ten`.");
    expect(r.errors[2]?.message).toContain("`minimumCuont` is not a key");
  });

  it("reports broken YAML with its line", () => {
    const r = parseYamlDocument("partnership:\n  name: [P\n", "c2c.config.yaml", ConfigSchema);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toMatch(/not valid YAML/);
  });
});
