import type { ParseArgsConfig } from "node:util";
import type { Effects } from "../effects.ts";
import type { StartedThreads } from "../parallel/started-threads.ts";

/** What every command is given: where c2c lives, its version, the build date, and the terminal. */
export interface CommandContext {
  c2cRoot: string;
  version: string;
  /** `YYYY-MM-DD`, from SOURCE_DATE_EPOCH or today. */
  buildDate: string;
  effects: Effects;
  /** Data goes to stdout; logs and progress go to stderr through `effects.log` and `terminal`. */
  stdout: (text: string) => void;
  terminal: Terminal;
  /** Worker threads started for this command before c2c loaded (only `c2c build` has any), else null. */
  started?: StartedThreads | null;
}

/** The terminal the user watches: colour and progress only when it is one, and NO_COLOR is unset. */
export interface Terminal {
  interactive: boolean;
  color: boolean;
  /** Writes a line of progress that the next one replaces; nothing when not interactive. */
  progress(text: string): void;
  /** Ends a progress line so normal output can follow. */
  done(): void;
  bold(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** One `c2c` command: its help, its options, and what it does. Exit codes: 0 done, 1 failed, 2 usage. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  positionals: { min: number; max: number; usage: string };
  /** The command reads partner files: it takes `--max-size` and `--read-timeout`, and its help says so. */
  readLimits?: boolean;
  run(args: ParsedArgs, ctx: CommandContext): Promise<number>;
}

export function makeTerminal(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Terminal {
  const interactive = stream.isTTY === true && env.CI !== "true";
  const color = stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== "dumb";
  const paint = (code: number) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  let open = false;
  return {
    interactive,
    color,
    progress(text) {
      if (!interactive) return;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(`\r\u001b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      open = true;
    },
    done() {
      if (open) stream.write("\r\u001b[2K");
      open = false;
    },
    bold: paint(1),
    red: paint(31),
    yellow: paint(33),
    green: paint(32),
  };
}

/** A terminal that shows nothing, for tests and `--json` runs. */
export function quietTerminal(): Terminal {
  const same = (t: string) => t;
  return {
    interactive: false,
    color: false,
    progress: () => {},
    done: () => {},
    bold: same,
    red: same,
    yellow: same,
    green: same,
  };
}

/** A string option's value, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === "string" ? v : undefined;
}

/** Whether a boolean option was given. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}
