import type { Hash } from "node:crypto";
import path from "node:path";
import type { z } from "zod";
import type { Effects } from "../effects.ts";
import type { ConfigError } from "./config-error.ts";
import type { Loaded } from "./project.ts";
import { unreadableProjectFile } from "./project-paths.ts";
import { parseYamlDocument } from "./yaml-document.ts";

/** Reads the project's YAML files (and c2c's defaults), hashing each and collecting every mistake. */
export interface ProjectFileReader {
  /** A path as the user reads it: relative to the project, else as given. */
  rel(p: string): string;
  /** One file, validated by its schema; null (with its errors collected) when it is not valid. */
  readYaml<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S> | null>;
  /** Every YAML file of the first folder that holds each file name, in name order. */
  readFolder<S extends z.ZodType>(dirs: string[], schema: S): Promise<Loaded<z.output<S>>[]>;
}

export function projectFileReader(
  root: string,
  c2cRoot: string,
  effects: Effects,
  hash: Hash,
  errors: ConfigError[],
): ProjectFileReader {
  const rel = (p: string) => (p.startsWith(root) ? path.relative(root, p).split(path.sep).join("/") : p);
  // c2c's own definitions are hashed by their place in c2c, so the hash does not depend on where
  // c2c is installed.
  const hashName = (p: string) =>
    p.startsWith(root) || !p.startsWith(c2cRoot)
      ? rel(p)
      : `c2c:${path.relative(c2cRoot, p).split(path.sep).join("/")}`;

  const readYaml = async <S extends z.ZodType>(file: string, schema: S): Promise<z.output<S> | null> => {
    let text: string;
    try {
      text = new TextDecoder("utf-8").decode(await effects.readFile(file));
    } catch (e) {
      errors.push(unreadableProjectFile(rel(file), e));
      return null;
    }
    hash.update(`${hashName(file)}\0${text}\0`);
    const result = parseYamlDocument(text, rel(file), schema);
    if (!result.ok) {
      errors.push(...result.errors);
      return null;
    }
    return result.value;
  };

  const readFolder = async <S extends z.ZodType>(dirs: string[], schema: S): Promise<Loaded<z.output<S>>[]> => {
    // The first folder that holds YAML files wins for each file name: the project's own before c2c's.
    const byName = new Map<string, string>();
    for (const dir of dirs) {
      if (!(await effects.exists(dir))) continue;
      for (const f of await effects.listFiles(dir)) {
        if (!/\.ya?ml$/.test(f) || f.includes("/")) continue;
        if (!byName.has(f)) byName.set(f, path.join(dir, f));
      }
    }
    const out: Loaded<z.output<S>>[] = [];
    for (const name of [...byName.keys()].sort()) {
      const file = byName.get(name)!;
      const value = await readYaml(file, schema);
      if (value !== null) out.push({ file: rel(file), value });
    }
    return out;
  };

  return { rel, readYaml, readFolder };
}
