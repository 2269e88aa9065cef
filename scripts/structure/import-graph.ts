import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** One source file: its length and the project files it imports (repository-relative, `/`-separated). */
export interface SourceFile {
  lines: number;
  imports: string[];
}

/** Where the project's own source lives, and what of it is not source the rules hold to. */
export const SOURCE_FOLDERS = ["pipeline", "schemas", "scripts"] as const;

/** Tests sit beside the code but are not part of the shape. */
export function isTest(file: string): boolean {
  return file.endsWith(".test.ts");
}

/**
 * The import graph of the project's TypeScript, read from each file's import and export
 * declarations and dynamic `import()` calls (type-only imports count: they tie files as much).
 * Imports of packages are left out; relative ones are resolved to files.
 */
export function readImportGraph(root: string, folders: readonly string[] = SOURCE_FOLDERS): Map<string, SourceFile> {
  const graph = new Map<string, SourceFile>();
  for (const folder of folders) {
    for (const entry of readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".d.ts")) continue;
      const file = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
      if (file.split("/").includes("node_modules")) continue;
      graph.set(file, parseSource(file, readFileSync(path.join(root, file), "utf8")));
    }
  }
  return graph;
}

/** One file's length and resolved relative imports. */
export function parseSource(file: string, text: string): SourceFile {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const imports = new Set<string>();
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith(".")) continue;
    imports.add(path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName)));
  }
  const lines = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
  return { lines, imports: [...imports].sort() };
}
