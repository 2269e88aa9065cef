import { describe, expect, it } from "vitest";
import { zForLevel } from "./normal.ts";

describe("zForLevel", () => {
  it("gives the z of each level c2c publishes, to the last digit the intervals were built with", () => {
    expect(zForLevel(0.8)).toBe(1.2815515641401563);
    expect(zForLevel(0.9)).toBe(1.644853625133699);
    expect(zForLevel(0.95)).toBe(1.959963986120195);
    expect(zForLevel(0.99)).toBe(2.5758293064439264);
  });

  it("refuses a level that is not strictly between 0 and 1", () => {
    for (const level of [0, 1, -0.5, 95, Number.NaN]) expect(() => zForLevel(level)).toThrow(RangeError);
  });
});
