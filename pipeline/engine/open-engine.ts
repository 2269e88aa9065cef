import { builtinEngine } from "./builtin-engine.ts";
import type { CountingEngine, EngineName } from "./counting-engine.ts";

/** The engine of that name, ready to count; the DuckDB engine (and its native module) only when asked for. */
export async function openEngine(name: EngineName): Promise<CountingEngine> {
  if (name === "builtin") return builtinEngine;
  const { createDuckDBEngine } = await import("./duckdb-engine.ts");
  return createDuckDBEngine();
}
