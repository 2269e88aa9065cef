import type { Effects } from "../effects.ts";

/** The lock file a build holds in its `out/` folder while it runs. */
export const LOCK_FILE = ".c2c-lock";

/** Who holds a lock: written into the lock file as JSON. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the holder started (the lock's own clock, never written to the site). */
  started: string;
}

/** Another build is writing to the same `out/` folder. */
export class OutputLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder | null,
  ) {
    const who =
      holder === null
        ? "another c2c build (the lock file does not say which)"
        : `another c2c build (PID ${holder.pid} on ${holder.host}, started ${holder.started})`;
    super(
      `${who} is writing to this folder; its lock is ${lockPath}. Wait for it to finish and run again. If no build is running (the machine restarted, or the folder was copied), delete ${lockPath}.`,
    );
  }
}

/**
 * Takes the lock on an `out/` folder, so two builds never write one folder at once. A lock left by
 * a build that is no longer running on this machine is taken over, with a note in the log.
 * Returns the function that releases it. Throws OutputLockedError when a live build holds it.
 */
export async function lockOutputs(outDir: string, effects: Effects): Promise<() => Promise<void>> {
  const lockPath = `${outDir}/${LOCK_FILE}`;
  const me: LockHolder = {
    pid: effects.processes.pid,
    host: effects.processes.host,
    started: new Date(effects.processes.now()).toISOString(),
  };
  const content = `${JSON.stringify(me)}\n`;
  const release = async () => {
    // Only our own lock: never one a later build took over.
    if ((await readLock(lockPath, effects)).text === content) await effects.remove(lockPath);
  };
  if (await effects.createExclusive(lockPath, content)) return release;

  const held = await readLock(lockPath, effects);
  const holder = held.holder;
  // A holder on another machine (a shared drive) cannot be checked: taken as running.
  const stale = holder !== null && holder.host === me.host && !effects.processes.isRunning(holder.pid);
  if (!stale) throw new OutputLockedError(lockPath, holder);
  // Remove only the stale lock we read; if another build took it over meanwhile, it is theirs.
  if ((await readLock(lockPath, effects)).text === held.text) await effects.remove(lockPath);
  if (!(await effects.createExclusive(lockPath, content)))
    throw new OutputLockedError(lockPath, (await readLock(lockPath, effects)).holder);
  effects.log.warn(
    `took over the lock ${lockPath} from a build that is no longer running (PID ${holder.pid}, started ${holder.started}).`,
  );
  return release;
}

async function readLock(
  lockPath: string,
  effects: Effects,
): Promise<{ text: string | null; holder: LockHolder | null }> {
  let text: string;
  try {
    text = new TextDecoder().decode(await effects.readFile(lockPath));
  } catch {
    return { text: null, holder: null };
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    const ok = typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.started === "string";
    return { text, holder: ok ? (parsed as LockHolder) : null };
  } catch {
    return { text, holder: null };
  }
}
