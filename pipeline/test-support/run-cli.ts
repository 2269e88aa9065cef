import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./load-fixture.ts";

/** The `c2c` command as users run it. */
export const MAIN = path.join(REPO_ROOT, "dist", "bundle", "c2c.js");

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Killed after `timeoutMs`: the command hung. */
  hung: boolean;
  ms: number;
}

/**
 * Runs a command line to its end, or kills it after `timeoutMs` and says it hung, so a test of a
 * command that must never hang fails instead of waiting.
 */
export function runCli(
  args: string[],
  options: { prefix?: string[]; timeoutMs?: number; env?: NodeJS.ProcessEnv; script?: string } = {},
): Promise<CliRun> {
  const started = Date.now();
  const [command = process.execPath, ...rest] = [
    ...(options.prefix ?? []),
    process.execPath,
    options.script ?? MAIN,
    ...args,
  ];
  const child = spawn(command, rest, {
    env: options.env ?? { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 60_000);
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, hung, ms: Date.now() - started });
    }),
  );
}

/** The text of every file below `dir` (none when it does not exist), for a search through all of a run's outputs. */
export function everythingUnder(dir: string): string {
  if (!existsSync(dir)) return "";
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(path.join(e.parentPath, e.name), "latin1"))
    .join("\n");
}
