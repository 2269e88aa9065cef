import { describe, expect, it } from "vitest";
import { checkStructure, findCycles, PROJECT_RULES, type StructureRules } from "./check-structure.ts";
import { parseSource, readImportGraph, type SourceFile } from "./import-graph.ts";
import { layerOf } from "./layers.ts";
import { compareWithRemaining, REMAINING } from "./remaining.ts";

const RULES: StructureRules = {
  layers: [["low/"], ["mid/"], ["top.ts"]],
  outside: ["support/"],
  maxLines: 5,
  generated: ["mid/data.ts"],
  forbidden: [{ from: "mid/view/", to: "mid/policy/", why: "views take policies in their input" }],
};

function graphOf(files: Record<string, { imports?: string[]; lines?: number }>): Map<string, SourceFile> {
  return new Map(Object.entries(files).map(([f, s]) => [f, { lines: s.lines ?? 1, imports: s.imports ?? [] }]));
}

describe("checkStructure", () => {
  it("finds a cycle through a type-only import and names its files once", () => {
    const graph = graphOf({
      "low/a.ts": { imports: ["low/b.ts"] },
      "low/b.ts": { imports: ["low/c.ts"] },
      "low/c.ts": { imports: ["low/a.ts"] },
    });
    expect(findCycles(graph)).toEqual([["low/a.ts", "low/b.ts", "low/c.ts"]]);
    expect(checkStructure(graph, RULES).map((f) => f.key)).toEqual(["cycle low/a.ts low/b.ts low/c.ts"]);
  });

  it("finds an import of a layer above, and allows the same layer and those below", () => {
    const graph = graphOf({
      "low/a.ts": { imports: ["mid/b.ts"] },
      "mid/b.ts": { imports: ["low/c.ts", "mid/d.ts"] },
      "low/c.ts": {},
      "mid/d.ts": {},
      "top.ts": { imports: ["mid/b.ts"] },
    });
    expect(checkStructure(graph, RULES).map((f) => f.key)).toEqual(["upward-import low/a.ts -> mid/b.ts"]);
  });

  it("finds a forbidden import the layers alone would allow, with its reason", () => {
    const graph = graphOf({ "mid/view/page.ts": { imports: ["mid/policy/rule.ts"] }, "mid/policy/rule.ts": {} });
    const [finding] = checkStructure(graph, RULES);
    expect(finding?.key).toBe("upward-import mid/view/page.ts -> mid/policy/rule.ts");
    expect(finding?.detail).toContain("views take policies in their input");
  });

  it("finds over-long files and files in no layer; tests, generated data and test support are exempt as stated", () => {
    const graph = graphOf({
      "low/long.ts": { lines: 6 },
      "low/long.test.ts": { lines: 600, imports: ["top.ts"] },
      "mid/data.ts": { lines: 900 },
      "stray.ts": {},
      "support/helper.ts": { imports: ["top.ts"], lines: 7 },
      "top.ts": {},
    });
    expect(checkStructure(graph, RULES).map((f) => f.key)).toEqual([
      "too-long low/long.ts",
      "too-long support/helper.ts",
      "unplaced-file stray.ts",
    ]);
  });
});

describe("parseSource", () => {
  it("resolves relative imports, re-exports and dynamic imports, and leaves packages out", () => {
    const text = [
      'import { z } from "zod";',
      'import type { A } from "../low/a.ts";',
      'export { b } from "./b.ts";',
      'const m = await import("./lazy.ts");',
      "",
    ].join("\n");
    expect(parseSource("mid/x.ts", text)).toEqual({ lines: 4, imports: ["low/a.ts", "mid/b.ts", "mid/lazy.ts"] });
  });
});

describe("the project", () => {
  it("places every layered prefix in exactly one layer", () => {
    expect(layerOf("pipeline/render/site/render-site.ts")).toBeGreaterThan(
      layerOf("pipeline/protect/protect-cells.ts") ?? 99,
    );
    expect(layerOf("pipeline/cli/main.ts")).toBeGreaterThan(layerOf("pipeline/build.ts") ?? 99);
  });

  it("has no finding beyond those listed as still to fix, and every listed one is still there", () => {
    const findings = checkStructure(readImportGraph(process.cwd()), PROJECT_RULES);
    const { unexpected, fixed } = compareWithRemaining(findings, REMAINING);
    expect(unexpected.map((f) => f.detail)).toEqual([]);
    expect(fixed).toEqual([]);
  });
});
