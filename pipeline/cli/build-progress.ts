import type { Effects } from "../effects.ts";
import type { FileResult } from "../file-result.ts";
import { countSeverity } from "../issues/catalogue.ts";
import type { ReadProgress } from "../parallel/process-files.ts";
import { fmt } from "./build-summary.ts";
import type { Terminal } from "./command.ts";
import { plural } from "./format.ts";

/**
 * What the analyst watches while a build reads: a progress bar for the file being read, then a
 * line per file (on a terminal) with its rows and its issues, and how long it took.
 */
export function progressHooks(
  terminal: Terminal,
  effects: Effects,
): { onProgress: ReadProgress; onFile: (result: FileResult) => void } {
  const started = new Map<string, number>();
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return {
    onProgress: (file, read, total, again) => {
      if (!started.has(file)) started.set(file, performance.now());
      const share = total > 0 ? Math.min(1, read / total) : 0;
      const bar = `${"█".repeat(Math.round(share * 20))}${"░".repeat(20 - Math.round(share * 20))}`;
      terminal.progress(
        again
          ? `reading ${file} a second time ${bar} ${mb(read)} of ${mb(total)} MB`
          : `reading ${file} ${bar} ${mb(read)} of ${mb(total)} MB`,
      );
    },
    onFile: (f) => {
      if (!terminal.interactive) return;
      const seconds = (performance.now() - (started.get(f.path) ?? performance.now())) / 1000;
      const errors = countSeverity(f.issues, "error");
      const warnings = countSeverity(f.issues, "warning");
      const mark = errors > 0 ? terminal.red("✗") : warnings > 0 ? terminal.yellow("!") : terminal.green("✓");
      effects.log.info(
        `${mark} ${f.path}: ${fmt(f.rowsRead)} rows, ${fmt(f.rowsRejected)} left out, ${plural(errors, "error")}, ${plural(warnings, "warning")} (${seconds.toFixed(2)} s)`,
      );
    },
  };
}
