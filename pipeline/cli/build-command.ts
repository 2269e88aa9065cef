import path from "node:path";
import { type BuildResult, build, UnknownIndicatorError } from "../build.ts";
import type { Effects } from "../effects.ts";
import { ENGINE_NAMES, type EngineName } from "../engine/counting-engine.ts";
import { ProjectError } from "../load/config-error.ts";
import type { StartedThreads } from "../parallel/started-threads.ts";
import { workerCount } from "../parallel/worker-pool.ts";
import { ProtectionError } from "../protect/protect-cells.ts";
import { OutputFolderError, outputFault } from "../write/output-errors.ts";
import { checkOutFolder, claimOutFolder } from "../write/output-folder.ts";
import { lockOutputs, OutputLockedError } from "../write/output-lock.ts";
import { BUILD_HELP } from "./build-help.ts";
import { progressHooks } from "./build-progress.ts";
import { configurationIssues, summarize, summaryJson } from "./build-summary.ts";
import { type Command, flag, quietTerminal, stringOption, type Terminal } from "./command.ts";
import { plural } from "./format.ts";

export { BUILD_HELP } from "./build-help.ts";

export interface BuildCommandOptions {
  project: string;
  out: string | undefined;
  year: number | undefined;
  only: string[];
  /** Overrides the config's `engine`. */
  engine?: EngineName | undefined;
  /** Partner files read at once (default: one per core, at most 4). */
  threads?: number | undefined;
  json: boolean;
  explain: boolean;
  c2cRoot: string;
  version: string;
  buildDate: string;
  /** Worker threads the CLI started for this build before it loaded c2c. */
  started?: StartedThreads | null;
}

/**
 * Runs a build and prints what an analyst needs: files, rows, indicators, suppression, where the site is.
 * Holds the lock on the out folder throughout, so a second build on it fails at once instead of
 * interleaving its writes.
 */
export async function runBuild(
  options: BuildCommandOptions,
  effects: Effects,
  stdout: (text: string) => void,
  terminal: Terminal = quietTerminal(),
): Promise<number> {
  const outDir = options.out ?? path.join(options.project, "out");
  const refused = (e: OutputFolderError) => {
    effects.log.warn(`build: ${e.format()}`);
    if (options.json) stdout(`${JSON.stringify({ ok: false, error: e.toJSON() }, null, 2)}\n`);
    return 1;
  };
  let release: () => Promise<void>;
  try {
    // Before anything is read or written: OUT must be c2c's to write.
    const checked = await checkOutFolder(outDir, options.project, effects);
    // No lock (and no out folder) for a folder that is not a project: the build says what is wrong.
    if (!(await effects.exists(path.join(options.project, "c2c.config.yaml")))) release = async () => {};
    else {
      await claimOutFolder(checked, outDir, effects);
      release = await lockOutputs(path.resolve(outDir), effects);
    }
  } catch (e) {
    if (e instanceof OutputLockedError) {
      effects.log.warn(`build: ${e.message}`);
      if (options.json) stdout(`${JSON.stringify({ ok: false, locked: e.lockPath, holder: e.holder }, null, 2)}\n`);
      return 1;
    }
    const fault = outputFault(e, outDir);
    if (fault === null) throw e;
    return refused(fault);
  }
  try {
    return await runLockedBuild(options, outDir, effects, stdout, terminal);
  } catch (e) {
    // Only stage 13's own faults (a full disk, a folder that cannot be written), never a partner file's.
    if (!(e instanceof OutputFolderError)) throw e;
    terminal.done();
    return refused(e);
  } finally {
    await release();
  }
}

async function runLockedBuild(
  options: BuildCommandOptions,
  outDir: string,
  effects: Effects,
  stdout: (text: string) => void,
  terminal: Terminal,
): Promise<number> {
  let result: BuildResult;
  try {
    result = await build(
      {
        projectDir: options.project,
        outDir,
        c2cRoot: options.c2cRoot,
        version: options.version,
        buildDate: options.buildDate,
        ...(options.year !== undefined ? { reportingYear: options.year } : {}),
        only: options.only,
        ...(options.engine !== undefined ? { engine: options.engine } : {}),
        explain: options.explain,
        threads: options.threads ?? workerCount(4),
        ...(options.started ? { started: options.started } : {}),
        ...progressHooks(terminal, effects),
      },
      effects,
    );
  } catch (e) {
    terminal.done();
    if (e instanceof ProjectError) {
      effects.log.warn(
        `the project in ${options.project} has ${plural(e.errors.length, "problem")} to fix before it can build; nothing was written:`,
      );
      for (const line of e.message.split("\n")) effects.log.warn(`  ${line}`);
      if (options.json) stdout(`${JSON.stringify({ ok: false, errors: e.errors }, null, 2)}\n`);
      return 1;
    }
    if (e instanceof UnknownIndicatorError) {
      effects.log.warn(`build: ${e.message}.`);
      return 2;
    }
    if (e instanceof ProtectionError) {
      effects.log.warn(`build: ${e.message} Nothing was written; the previous site is unchanged.`);
      if (options.json) stdout(`${JSON.stringify({ ok: false, unprotectable: e.cells }, null, 2)}\n`);
      return 1;
    }
    throw e;
  }
  terminal.done();
  if (options.explain) {
    const dir = path.join(outDir, "private", "explain");
    const written = [...result.outputs.private.keys()].filter((p) => p.startsWith("explain/"));
    effects.log.info(
      `Stage tables (private, unsuppressed): ${written.map((w) => path.join(dir, w.slice("explain/".length))).join(", ")}`,
    );
  }
  stdout(
    options.json ? `${JSON.stringify(summaryJson(result, outDir), null, 2)}\n` : summarize(result, outDir, terminal),
  );
  return configurationIssues(result).length > 0 ? 1 : 0;
}

export const buildCommand: Command = {
  name: "build",
  summary: "validate partner files, aggregate indicators, protect small numbers, write the site",
  help: BUILD_HELP,
  options: {
    project: { type: "string", default: "." },
    out: { type: "string" },
    year: { type: "string" },
    only: { type: "string", multiple: true },
    engine: { type: "string" },
    threads: { type: "string" },
    json: { type: "boolean" },
    explain: { type: "boolean" },
  },
  positionals: { min: 0, max: 0, usage: "takes no file names; use --project DIR" },
  readLimits: true,
  async run(args, ctx) {
    const yearText = stringOption(args, "year");
    const year = yearText === undefined ? undefined : Number(yearText);
    if (year !== undefined && !(Number.isInteger(year) && year >= 1900 && year <= 2200)) {
      ctx.effects.log.warn(`build: --year takes a year such as 2025, not \`${yearText}\`.`);
      return 2;
    }
    const engine = stringOption(args, "engine");
    if (engine !== undefined && !isEngineName(engine)) {
      ctx.effects.log.warn(`build: --engine takes ${ENGINE_NAMES.join(" or ")}, not \`${engine}\`.`);
      return 2;
    }
    const threadsText = stringOption(args, "threads");
    const threads = threadsText === undefined ? undefined : Number(threadsText);
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
      ctx.effects.log.warn(`build: --threads takes a whole number from 1 to 64, not \`${threadsText}\`.`);
      return 2;
    }
    const only = args.values.only;
    return runBuild(
      {
        project: stringOption(args, "project") ?? ".",
        out: stringOption(args, "out"),
        year,
        only: Array.isArray(only) ? only.map(String) : [],
        engine,
        threads,
        json: flag(args, "json"),
        explain: flag(args, "explain"),
        c2cRoot: ctx.c2cRoot,
        version: ctx.version,
        buildDate: ctx.buildDate,
        started: ctx.started ?? null,
      },
      ctx.effects,
      ctx.stdout,
      flag(args, "json") ? quietTerminal() : ctx.terminal,
    );
  },
};

function isEngineName(name: string): name is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(name);
}
