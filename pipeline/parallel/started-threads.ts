import { WorkerPool } from "./worker-pool.ts";
import type { ProjectRef } from "./worker-protocol.ts";

/**
 * Worker threads started before the rest of c2c loads (the CLI starts them for `c2c build` on
 * large partner files, so they load c2c and the project on the second core meanwhile), handed to
 * the build as a value. The build takes them if they are for its project and number of threads.
 */
export class StartedThreads {
  private pool: WorkerPool | null;
  private readonly key: string;

  constructor(ref: ProjectRef, threads: number) {
    this.pool = new WorkerPool(threads);
    this.pool.warm(ref);
    this.key = keyOf(ref, threads);
  }

  /**
   * The threads, if they are for this project and number of threads (they are stopped otherwise);
   * null once taken or stopped.
   */
  async take(ref: ProjectRef, threads: number): Promise<WorkerPool | null> {
    const pool = this.pool;
    this.pool = null;
    if (pool === null) return null;
    if (this.key === keyOf(ref, threads)) return pool;
    await pool.terminate();
    return null;
  }

  /** Stops the threads if no build took them (the command stopped before it built). */
  async drop(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.terminate();
  }
}

function keyOf(ref: ProjectRef, threads: number): string {
  return JSON.stringify([ref.root, ref.c2cRoot, ref.only, threads]);
}
