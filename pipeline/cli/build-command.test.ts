import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../schemas/index.ts";
import { memoryEffects } from "../effects-memory.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { BUILD_HELP, buildCommand } from "./build-command.ts";
import { quietTerminal } from "./command.ts";

const config = {
  partnership: { name: "P", introduction: "I" },
  community: { id: "town", name: "Town" },
};

describe("c2c build --engine", () => {
  it("takes builtin or duckdb, and names them for anything else (a usage mistake: exit 2)", async () => {
    const effects = memoryEffects();
    const ctx = {
      c2cRoot: REPO_ROOT,
      version: "0.0.0-test",
      buildDate: "2026-01-15",
      effects,
      stdout: () => {},
      terminal: quietTerminal(),
    };
    expect(await buildCommand.run({ values: { engine: "spark" }, positionals: [] }, ctx)).toBe(2);
    expect(effects.log.lines).toEqual(["warning: build: --engine takes builtin or duckdb, not `spark`."]);
    expect(BUILD_HELP).toMatch(/--engine NAME {6}where rows are counted: builtin .* or duckdb/s);
  });

  it("is also the config's `engine`, one of the same two", () => {
    expect(ConfigSchema.parse({ ...config, engine: "duckdb" }).engine).toBe("duckdb");
    expect(ConfigSchema.parse(config).engine).toBeUndefined();
    expect(ConfigSchema.safeParse({ ...config, engine: "spark" }).success).toBe(false);
  });
});
