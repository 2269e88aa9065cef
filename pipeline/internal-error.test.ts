import { describe, expect, it } from "vitest";
import { InternalError, itemAt } from "./internal-error.ts";

describe("itemAt", () => {
  it("gives the item at an index of the array, zero included", () => {
    expect(itemAt([0, 7], 0, "count")).toBe(0);
    expect(itemAt(new Float64Array([1.5, 2.5]), 1, "bound")).toBe(2.5);
  });

  it("throws an InternalError naming what it looked for where the index is not in the array", () => {
    expect(() => itemAt([1, 2], 2, "unknown")).toThrow(new InternalError("c2c has no unknown 2 (it has 2)"));
    expect(() => itemAt([1, 2], -1, "unknown")).toThrow(InternalError);
  });
});
