import { describe, expect, it } from "vitest";
import { laterByName, latestVersion } from "./file-versions.ts";

describe("laterByName", () => {
  it("reads versions and dates in names as numbers", () => {
    expect(laterByName("scores-v10.csv", "scores-v9.csv")).toBe(1);
    expect(laterByName("scores-2025-03-15.csv", "scores-2025-06-01.csv")).toBe(-1);
    expect(laterByName("Scores-20250601.CSV", "scores-20250315.csv")).toBe(1);
  });

  it("takes a name that goes on with a number as the later one", () => {
    expect(laterByName("outcomes-2025-v2.csv", "outcomes-2025.csv")).toBe(1);
    expect(laterByName("outcomes-2025.csv", "outcomes-2025 (1).csv")).toBe(-1);
  });

  it("says nothing where the names differ in words, or not at all", () => {
    expect(laterByName("outcomes-2025-corrected.csv", "outcomes-2025.csv")).toBeNull();
    expect(laterByName("outcomes-final.csv", "outcomes-draft.csv")).toBeNull();
    expect(laterByName("outcomes.csv", "outcomes.txt")).toBeNull();
  });
});

describe("latestVersion", () => {
  const name = (f: string) => f;
  it("finds the one file later than every other", () => {
    expect(latestVersion(["a-v1.csv", "a-v3.csv", "a-v2.csv"], name)).toBe("a-v3.csv");
  });
  it("finds none where any pair is left open", () => {
    expect(latestVersion(["a-v1.csv", "a-v2.csv", "a-v2-fixed.csv"], name)).toBeNull();
  });
});
