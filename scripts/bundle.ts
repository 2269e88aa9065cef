import { chmodSync, rmSync } from "node:fs";
import path from "node:path";
import { type BuildOptions, build } from "esbuild";
import { packageRoot } from "../pipeline/package-root.ts";

/**
 * `npm run build`'s second step: the command line as a few bundled files in `dist/bundle/`, from
 * what `tsc` wrote in `dist/`. Node loads one file where it loaded hundreds of modules, which a
 * short build notices (the sample community's build takes a tenth less time, and each worker
 * thread starts reading a large file a third of a second sooner). `c2c.js` is the `c2c` command;
 * what only some commands need (the chart libraries, the DuckDB engine) stays in files of its own,
 * loaded when used. `file-worker.js`, the threads that read partner files, is one file of its own
 * with only what a thread needs. `dist/` itself stays as `tsc` wrote it, for the tests.
 */
const root = packageRoot();
const dist = path.join(root, "dist");
const out = path.join(dist, "bundle");

// Papaparse and Handlebars are CommonJS and `require` Node's own modules: give them `require`.
const REQUIRE =
  "import { createRequire as __c2cRequire } from 'node:module'; const require = __c2cRequire(import.meta.url);";

const common: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // A native module, loaded from node_modules only by `--engine duckdb`; and the exact privacy
  // audit's solver, which finds its WebAssembly file beside its own loader in node_modules.
  external: ["@duckdb/node-api", "highs"],
  banner: { js: REQUIRE },
  // With `c2c --debug`, stack traces point into pipeline/*.ts through tsc's source maps and these.
  sourcemap: true,
  logLevel: "warning",
};

rmSync(out, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [path.join(dist, "pipeline", "cli", "c2c.js")],
  splitting: true,
  outdir: out,
  entryNames: "[name]",
  chunkNames: "[name]-[hash]",
});
// Beside c2c.js and its parts, where the pool of threads looks for it (`new URL("./file-worker.js")`).
await build({
  ...common,
  entryPoints: [path.join(dist, "pipeline", "parallel", "file-worker.js")],
  outfile: path.join(out, "file-worker.js"),
});
chmodSync(path.join(out, "c2c.js"), 0o755);
