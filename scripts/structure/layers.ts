/**
 * The project's layers, lowest first: a module may import its own layer or one below, never one
 * above. Each layer is a list of path prefixes (a folder ends in `/`). The order is the flow of a
 * build: what every stage shares at the bottom, then the stages as they run, then what runs them.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ["schemas/", "pipeline/messages/", "pipeline/rows/", "pipeline/internal-error.ts", "pipeline/package-root.ts"],
  ["pipeline/issues/", "pipeline/observation.ts", "pipeline/file-result.ts", "pipeline/scratch.ts"],
  ["pipeline/files/", "pipeline/values/", "pipeline/csv/"],
  ["pipeline/effects.ts", "pipeline/effects-node.ts", "pipeline/effects-memory.ts", "pipeline/expression/"],
  ["pipeline/load/"],
  ["pipeline/discover/"],
  ["pipeline/read/"],
  ["pipeline/reshape/"],
  ["pipeline/validate/"],
  ["pipeline/normalize/"],
  ["pipeline/aggregate/", "pipeline/engine/"],
  ["pipeline/protect/"],
  ["pipeline/derive/"],
  ["pipeline/render/"],
  ["pipeline/template/", "pipeline/write/"],
  ["pipeline/per-file/", "pipeline/parallel/"],
  ["pipeline/build.ts", "pipeline/build-contract.ts"],
  ["pipeline/cli/"],
  ["scripts/"],
];

/** Code only tests use: it may reach any layer (it stands outside the flow, checking it). */
export const OUTSIDE_LAYERS = ["pipeline/test-support/"] as const;

/** The layer a file belongs to (its index in `layers`), or null where no layer names it. */
export function layerOf(file: string, layers: readonly (readonly string[])[] = LAYERS): number | null {
  let layer: number | null = null;
  let longest = 0;
  for (const [index, prefixes] of layers.entries()) {
    for (const prefix of prefixes) {
      const matches = prefix.endsWith("/") ? file.startsWith(prefix) : file === prefix;
      if (matches && prefix.length > longest) {
        layer = index;
        longest = prefix.length;
      }
    }
  }
  return layer;
}
