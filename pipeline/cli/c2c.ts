#!/usr/bin/env node
/**
 * The `c2c` command. For a build on large partner files, the worker threads that read them start
 * first, then the rest of c2c loads: each thread loads c2c and the project while this one does.
 */
import { packageRoot } from "../package-root.ts";
import { startBuildThreads } from "./early-threads.ts";

const argv = process.argv.slice(2);
const started = startBuildThreads(argv, packageRoot());
try {
  const { main } = await import("./main.ts");
  process.exitCode = await main(argv, undefined, started);
} finally {
  // Threads no build took (the command stopped first) would keep the process alive.
  await started?.drop();
}
