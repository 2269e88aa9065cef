import { isTest, type SourceFile } from "./import-graph.ts";
import { LAYERS, layerOf, OUTSIDE_LAYERS } from "./layers.ts";

/** The longest a source file may be: past it, a file holds more than one concept. */
export const MAX_LINES = 400;

/** One way the code departs from its shape, named so a list of them can be compared run to run. */
export interface StructureFinding {
  rule: "cycle" | "upward-import" | "unplaced-file" | "too-long";
  /** A stable one-line name: the rule and the files. */
  key: string;
  /** What is wrong, for the person reading the check's output. */
  detail: string;
}

export interface StructureRules {
  layers: readonly (readonly string[])[];
  outside: readonly string[];
  maxLines: number;
  /** Files exempt from the length rule (generated data). */
  generated: readonly string[];
  /** Imports the layers would allow but the design does not, each with the reason. */
  forbidden: readonly { from: string; to: string; why: string }[];
}

export const PROJECT_RULES: StructureRules = {
  layers: LAYERS,
  outside: OUTSIDE_LAYERS,
  maxLines: MAX_LINES,
  generated: [],
  forbidden: [
    { from: "pipeline/render/", to: "pipeline/protect/", why: "render takes each indicator's policy in its input" },
  ],
};

/** Every cycle, upward import, unplaced file and over-long file in the graph, in a stable order. */
export function checkStructure(graph: ReadonlyMap<string, SourceFile>, rules: StructureRules): StructureFinding[] {
  const findings: StructureFinding[] = [];
  for (const files of findCycles(graph)) {
    findings.push({
      rule: "cycle",
      key: `cycle ${files.join(" ")}`,
      detail: `import cycle among ${files.join(", ")}`,
    });
  }
  for (const [file, source] of graph) {
    if (isTest(file)) continue;
    if (source.lines > rules.maxLines && !rules.generated.includes(file)) {
      findings.push({
        rule: "too-long",
        key: `too-long ${file}`,
        detail: `${file} has ${source.lines} lines (at most ${rules.maxLines}): split it by concept`,
      });
    }
    if (rules.outside.some((prefix) => file.startsWith(prefix))) continue;
    const own = layerOf(file, rules.layers);
    if (own === null) {
      findings.push({
        rule: "unplaced-file",
        key: `unplaced-file ${file}`,
        detail: `${file} is in no layer: add it to scripts/structure/layers.ts where it belongs`,
      });
      continue;
    }
    for (const target of source.imports) {
      const rule = rules.forbidden.find((r) => file.startsWith(r.from) && target.startsWith(r.to));
      if (rule) {
        findings.push({
          rule: "upward-import",
          key: `upward-import ${file} -> ${target}`,
          detail: `${file} imports ${target}: ${rule.why}`,
        });
        continue;
      }
      const theirs = layerOf(target, rules.layers);
      if (theirs === null || theirs <= own) continue;
      findings.push({
        rule: "upward-import",
        key: `upward-import ${file} -> ${target}`,
        detail: `${file} (layer ${own}) imports ${target} (layer ${theirs}), a layer above it`,
      });
    }
  }
  return findings.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The strongly connected groups of two or more files, each sorted, found with Tarjan's algorithm
 * over the imports of non-test files (a test importing what it tests is no cycle).
 */
export function findCycles(graph: ReadonlyMap<string, SourceFile>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;
  const edges = (file: string): string[] => (graph.get(file)?.imports ?? []).filter((t) => graph.has(t) && !isTest(t));
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of edges(file)) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(lowOf(low, file), lowOf(low, target)));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(lowOf(low, file), lowOf(index, target)));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!isTest(file) && !index.has(file)) visit(file);
  return groups.sort((a, b) => ((a[0] ?? "") < (b[0] ?? "") ? -1 : 1));
}

function lowOf(map: ReadonlyMap<string, number>, file: string): number {
  const value = map.get(file);
  if (value === undefined) throw new Error(`structure check: ${file} has no index yet`);
  return value;
}
