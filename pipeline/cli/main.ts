#!/usr/bin/env node
import { readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Effects, Logger } from "../effects.ts";
import { nodeEffects } from "../effects-node.ts";
import { parseReadLimits, READ_LIMIT_OPTIONS, type ReadLimits } from "../files/read-limits.ts";
import { packageRoot } from "../package-root.ts";
import type { StartedThreads } from "../parallel/started-threads.ts";
import { removeOwnScratch, removeStaleScratch } from "../scratch.ts";
import { aggregateCommand } from "./aggregate-command.ts";
import { buildCommand } from "./build-command.ts";
import { checkCommand } from "./check-command.ts";
import { type Command, makeTerminal, type Terminal } from "./command.ts";
import { diffCommand } from "./diff-command.ts";
import { plural } from "./format.ts";
import { initCommand } from "./init-command.ts";
import { serveCommand } from "./serve-command.ts";
import { templateCommand } from "./template-command.ts";
import { verifyCommand } from "./verify-command.ts";

/** Every command, in the order an analyst meets them. */
export const COMMANDS: readonly Command[] = [
  initCommand,
  buildCommand,
  checkCommand,
  templateCommand,
  aggregateCommand,
  diffCommand,
  verifyCommand,
  serveCommand,
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `c2c: turn a cradle-to-career partnership's data into a public outcomes dashboard.

Usage: c2c <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Options:
  -h, --help      show help (also: c2c <command> --help)
  -v, --version   show c2c's version
  --debug         show a stack trace when something fails unexpectedly

Start here:
  c2c init my-partnership          a new partnership's folder, with an example that builds
  c2c build --project my-partnership
  then open my-partnership/out/site/index.html

Environment:
  NO_COLOR            no colours in the output
  SOURCE_DATE_EPOCH   the build date, in seconds since 1970, for reproducible sites
`;
}

/**
 * The command line: parses arguments, routes to a command, and turns failures into exit codes.
 * `makeEffects` is for tests that slow or watch the build's writes; `started`, worker threads the
 * caller started for this command before it loaded c2c (`startBuildThreads`).
 */
export async function main(
  argv: string[],
  makeEffects: (log: Logger, limits: ReadLimits) => Effects = nodeEffects,
  started: StartedThreads | null = null,
): Promise<number> {
  const stderr = (text: string) => process.stderr.write(text);
  const stdout = (text: string) => process.stdout.write(text);
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    (name === undefined ? stderr : stdout)(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === "-v" || name === "--version") {
    stdout(`${version}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    stderr(`c2c: unknown command \`${name}\`. Run \`c2c --help\` for the commands.\n`);
    return 2;
  }
  const terminal = makeTerminal(process.stderr, process.env);
  const log: Logger = {
    info: (m) => {
      terminal.done();
      stderr(`${m}\n`);
    },
    warn: (m) => {
      terminal.done();
      stderr(`${terminal.yellow("c2c:")} ${m}\n`);
    },
  };
  const debug = rest.includes("--debug");
  // Stack traces name the TypeScript sources, through the bundle's and tsc's source maps.
  if (debug) process.setSourceMapsEnabled(true);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        ...command.options,
        ...(command.readLimits ? READ_LIMIT_OPTIONS : {}),
        help: { type: "boolean", short: "h" },
        debug: { type: "boolean" },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    stderr(`c2c ${name}: ${e instanceof Error ? e.message : String(e)}. Run \`c2c ${name} --help\`.\n`);
    return 2;
  }
  if (parsed.values.help) {
    stdout(command.help);
    return 0;
  }
  const { min, max, usage } = command.positionals;
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    stderr(`c2c ${name}: ${usage}. Run \`c2c ${name} --help\`.\n`);
    return 2;
  }
  const limits = parseReadLimits(parsed.values);
  if ("error" in limits) {
    stderr(`c2c ${name}: ${limits.error}. Run \`c2c ${name} --help\`.\n`);
    return 2;
  }
  const effects = makeEffects(log, limits);
  const stopping = onStop(name, terminal, stderr);
  const stale = removeStaleScratch(effects.processes.isRunning);
  if (stale.dirs.length > 0)
    log.info(
      `removed ${plural(stale.dirs.length, "scratch folder")} (${(stale.bytes / 1e6).toFixed(0)} MB) left in ${path.dirname(stale.dirs[0] as string)} by c2c runs that were stopped.`,
    );
  try {
    const code = await command.run(
      { values: parsed.values, positionals: parsed.positionals },
      {
        c2cRoot: root,
        version,
        buildDate: buildDate(process.env.SOURCE_DATE_EPOCH),
        effects,
        stdout,
        terminal,
        started,
      },
    );
    const stuck = effects.stuckReads();
    if (stuck.length > 0) endDespiteStuckReads(name, stuck, stderr);
    return code;
  } catch (e) {
    terminal.done();
    stderr(`c2c ${name} failed unexpectedly: ${e instanceof Error ? e.message : String(e)}\n`);
    if (debug && e instanceof Error && e.stack) stderr(`${e.stack}\n`);
    else stderr("Run again with --debug for the details, and report it with them.\n");
    return 1;
  } finally {
    stopping();
  }
}

/**
 * Until the returned function is called, Ctrl-C (SIGINT) or a kill (SIGTERM) stops any command at
 * once, whatever it is waiting for: it removes this run's scratch folders, says so, and ends the
 * process by the same signal, so the shell sees 130 or 143 and a script that runs c2c stops too.
 * Not `process.exit`: that waits for every read in flight, and one blocked in the operating
 * system (a network drive that stopped answering) would keep the process for ever. The output
 * folder needs nothing: a build swaps its outputs in whole, and the next one clears what an
 * interrupted one left.
 */
function onStop(name: string, terminal: Terminal, stderr: (text: string) => void): () => void {
  const stop = (signal: NodeJS.Signals) => {
    terminal.done();
    removeOwnScratch();
    stderr(`c2c ${name}: stopped (${signal === "SIGINT" ? "Ctrl-C" : signal}).\n`);
    // With no listener left, the signal does what it does by default: end the process, now.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return () => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  };
}

/**
 * A read given up on that the operating system never answered (a network drive gone) holds a
 * thread that Node waits for as the process ends, for ever: once the command has done all it can,
 * c2c says so and ends itself as SIGTERM would (status 143) rather than hang.
 */
function endDespiteStuckReads(name: string, stuck: readonly string[], stderr: (text: string) => void): void {
  removeOwnScratch();
  stderr(
    `c2c ${name}: reading ${stuck.join(", ")} never came back from the operating system (a drive that stopped answering?), and a process cannot end normally while it waits; c2c ends now, as SIGTERM would (status 143).\n`,
  );
  process.removeAllListeners("SIGTERM");
  process.kill(process.pid, "SIGTERM");
}

/** The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today, in UTC. */
export function buildDate(epoch: string | undefined): string {
  const seconds = epoch !== undefined && /^\d+$/.test(epoch) ? Number(epoch) : Date.now() / 1000;
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
