import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { itemAt } from "../../pipeline/internal-error.ts";
import { packageRoot } from "../../pipeline/package-root.ts";
import { BENCH_CONFIG_YAML, BENCH_PARTNERS_YAML, writeBenchFile } from "./generate-records.ts";

/**
 * `npm run bench`: times the whole c2c build on generated record-level files against DuckDB and
 * pandas aggregating the same file, in one run on this machine, and prints medians, ratios and peak
 * memory. Files and projects are kept in .cache/bench/ between runs.
 */
const HELP = `Usage: npm run bench -- [--sizes 100000,1000000] [--runs 3] [--no-pandas] [--no-duckdb-engine] [--no-one-thread]

Times, on the same machine in one run, for each size of a generated student file:
  c2c      the whole build: read, validate every cell, aggregate, derive, protect, render, write
           (with its default threads: a file of 16 MB or more is read in parts, one per core)
  c2c --threads 1  the same build in one thread
  c2c --engine duckdb  the same build, counting out of core in a temporary DuckDB database
  duckdb   DuckDB's read_csv + GROUPING SETS aggregation only (2 threads)
  pandas   pandas read_csv + one groupby per dimension (when python3 has pandas)
and the sample community's build, CLI start to written site. Reports the median wall time, the
peak memory (max RSS), and c2c's ratio to DuckDB and pandas. 10,000,000 rows write a ~1 GB file.
`;

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100000,1000000" },
    runs: { type: "string", default: "3" },
    "no-pandas": { type: "boolean" },
    "no-duckdb-engine": { type: "boolean" },
    "no-one-thread": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const root = packageRoot();
const cache = path.join(root, ".cache", "bench");
const main = path.join(root, "dist", "bundle", "c2c.js");
const duck = path.join(root, "dist", "scripts", "bench", "duckdb-aggregate.js");
const pandasScript = path.join(root, "scripts", "bench", "pandas_aggregate.py");
const runs = Number(values.runs);
const sizes = values.sizes.split(",").map((s) => Number(s.trim()));
mkdirSync(cache, { recursive: true });

interface Measure {
  wall: number;
  rssMb: number;
}

/** Runs a command under /usr/bin/time for its wall time and peak memory; fails loudly. */
function measure(command: string, args: string[]): Measure {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", command, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    maxBuffer: 64 << 20,
  });
  const last = r.stderr.trim().split("\n").pop() ?? "";
  const m = /^([\d.]+) (\d+)$/.exec(last);
  if (r.status !== 0 || !m) throw new Error(`${command} ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  return { wall: Number(m[1]), rssMb: Number(m[2]) / 1024 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const at = (i: number) => itemAt(s, i, "timing");
  return s.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

function repeat(f: () => Measure): Measure {
  const all = Array.from({ length: runs }, f);
  return { wall: median(all.map((m) => m.wall)), rssMb: Math.max(...all.map((m) => m.rssMb)) };
}

/** A project around one generated file, with c2c's default catalog. */
function projectFor(rows: number, file: string): string {
  const dir = path.join(cache, `project-${rows}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "data", "2025", "district"), { recursive: true });
  writeFileSync(path.join(dir, "c2c.config.yaml"), BENCH_CONFIG_YAML);
  writeFileSync(path.join(dir, "partners.yaml"), BENCH_PARTNERS_YAML);
  symlinkSync(file, path.join(dir, "data", "2025", "district", "assessment-2025.csv"));
  return dir;
}

const python = values["no-pandas"]
  ? undefined
  : ["python3", "/usr/bin/python3"].find(
      (p) => spawnSync(p, ["-c", "import pandas"], { encoding: "utf8" }).status === 0,
    );
const hasPandas = python !== undefined;
const rows: string[][] = [];
const fmt = (m: Measure) => [`${m.wall.toFixed(2)} s`, `${Math.round(m.rssMb)} MB`];
for (const size of sizes) {
  const file = path.join(cache, `records-${size}.csv`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${size.toLocaleString("en-US")} rows into ${file}\n`);
    await writeBenchFile(file, size);
  }
  const project = projectFor(size, file);
  const out = path.join(cache, `out-${size}`);
  const c2cBuild = (engine: string, threads?: number) => {
    process.stderr.write(
      `${size.toLocaleString("en-US")} rows: c2c --engine ${engine}${threads ? ` --threads ${threads}` : ""}…\n`,
    );
    const extra = threads ? ["--threads", String(threads)] : [];
    return repeat(() =>
      measure(process.execPath, [main, "build", "--engine", engine, ...extra, "--project", project, "--out", out]),
    );
  };
  const c2c = c2cBuild("builtin");
  const c2cOne = values["no-one-thread"] ? null : c2cBuild("builtin", 1);
  const c2cDuck = values["no-duckdb-engine"] ? null : c2cBuild("duckdb");
  process.stderr.write(`${size.toLocaleString("en-US")} rows: duckdb…\n`);
  const duckdb = repeat(() => measure(process.execPath, [duck, file]));
  const pandas = hasPandas ? repeat(() => measure(python as string, [pandasScript, file])) : null;
  const n = size.toLocaleString("en-US");
  // Each stack's row: its wall time and memory, and its time as a multiple of DuckDB's and pandas'.
  const ratio = (m: Measure, of: Measure | null) => (of ? `${(m.wall / of.wall).toFixed(2)}×` : "–");
  const row = (label: string, m: Measure | null) => {
    if (m) rows.push([label, n, ...fmt(m), ratio(m, duckdb), ratio(m, pandas)]);
  };
  row("c2c (full build)", c2c);
  row("c2c --threads 1 (full build)", c2cOne);
  row("c2c --engine duckdb (full build)", c2cDuck);
  row("DuckDB (aggregate only)", duckdb);
  row("pandas", pandas);
}
const sample = repeat(() =>
  measure(process.execPath, [
    main,
    "build",
    "--project",
    path.join(root, "fixtures", "sample-community"),
    "--out",
    path.join(cache, "out-sample"),
  ]),
);
rows.push(["c2c, sample community", "–", ...fmt(sample), "–", "–"]);

const header = ["stack", "rows", `median wall (${runs} runs)`, "peak memory", "÷ DuckDB", "÷ pandas"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
process.stdout.write(
  `${[line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n")}\n`,
);
process.stdout.write(
  `Machine: ${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")} at the end (1, 5, 15 min).\n`,
);
if (!hasPandas) process.stdout.write("pandas: not measured (python3 has no pandas; apt-get install python3-pandas)\n");
