import { constants } from "node:fs";
import { type FileHandle, open, readlink } from "node:fs/promises";
import type { ByteRange } from "./byte-range.ts";
import { inspectPath, isInside, realFolder, typeOfStats } from "./inspect-path.ts";
import { type PathKind, RefusedFileError, type SpecialType } from "./path-kind.ts";
import type { ReadLimits } from "./read-limits.ts";

/**
 * O_NOFOLLOW: the path opened is the link-free one just resolved, so a link put in its place since
 * is refused, not followed. O_NONBLOCK: a FIFO put in its place opens at once (without it, the open
 * waits for a writer, for ever), to be refused by its type on the open descriptor.
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Bytes asked of the file system at a time. */
const CHUNK = 1 << 20;

/**
 * Opens a regular file for reading, or throws a `RefusedFileError` saying what is there instead;
 * with `within`, only a file inside that folder (links followed only while they stay inside).
 * Nothing but a regular file is ever opened, except one swapped in between the look and the open,
 * which is then refused from its descriptor before a byte is read.
 */
export async function openRegularFile(
  p: string,
  within: string | undefined,
  limits: ReadLimits,
): Promise<{ handle: FileHandle; size: number }> {
  return openFound(p, await inspectPath(p, within), within, limits);
}

/**
 * `openRegularFile` after the look: opens what `found` says is a regular file, and checks the
 * descriptor, since the path may hold something else by now.
 */
export async function openFound(
  p: string,
  found: PathKind,
  within: string | undefined,
  limits: ReadLimits,
): Promise<{ handle: FileHandle; size: number }> {
  if (found.kind !== "file") throw new RefusedFileError(p, found);
  if (found.size > limits.maxBytes)
    throw new RefusedFileError(p, { kind: "too-large", size: found.size, limit: limits.maxBytes, grew: false });
  let handle: FileHandle;
  try {
    handle = await open(found.real, OPEN_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new RefusedFileError(p, { kind: "link-loop" });
    if (code === "EACCES" || code === "EPERM") throw new RefusedFileError(p, { kind: "unreadable" });
    throw e;
  }
  try {
    const st = await handle.stat();
    const type = typeOfStats(st);
    if (type !== "file")
      throw new RefusedFileError(
        p,
        type === "folder"
          ? { kind: "folder", real: found.real, link: found.link }
          : { kind: "special", type: type as SpecialType, link: found.link },
      );
    if (within !== undefined) {
      // Where the descriptor really is (Linux): a folder on the way swapped for a link since the look.
      const at = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => null);
      if (at !== null && !isInside(at, await realFolder(within)))
        throw new RefusedFileError(p, { kind: "link-outside", target: at });
    }
    if (st.size > limits.maxBytes)
      throw new RefusedFileError(p, { kind: "too-large", size: st.size, limit: limits.maxBytes, grew: false });
    return { handle, size: st.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * A file's bytes in chunks (with `range`, from `start` up to `end`), each read bounded in time:
 * one that brings nothing for `limits.stallMs` fails, and so does reading past `limits.maxBytes`
 * (a file that grows as it is read).
 */
export async function* readFileChunks(
  p: string,
  within: string | undefined,
  limits: ReadLimits,
  range?: ByteRange,
  onStall?: OnStall,
): AsyncGenerator<Uint8Array> {
  if (range !== undefined && range.end <= range.start) return;
  const { handle, size } = await openRegularFile(p, within, limits);
  yield* chunksOf(p, handle, size, limits, range, onStall);
}

/** Told of a read given up on, with the read itself, which settles if the system ever answers. */
export type OnStall = (path: string, read: Promise<unknown>) => void;

/** What `chunksOf` needs of an open file. */
export interface ReadableFile {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

/** The chunks of an open file of `size` bytes (as it was opened), within `limits`; closes it after. */
export async function* chunksOf(
  p: string,
  file: ReadableFile,
  size: number,
  limits: ReadLimits,
  range?: ByteRange,
  onStall?: OnStall,
): AsyncGenerator<Uint8Array> {
  let stalled = false;
  try {
    let position = range?.start ?? 0;
    const end = range?.end ?? Number.POSITIVE_INFINITY;
    let total = 0;
    while (position < end) {
      // A small file is read in one buffer of its size (then one read finds its end).
      const want = Math.min(CHUNK, end - position, size > position ? size - position : 65536);
      const buffer = Buffer.allocUnsafe(want);
      const read = file.read(buffer, 0, want, position);
      const outcome = await withinTime(read, limits.stallMs);
      if (outcome === "stalled") {
        stalled = true;
        // The read may never come back; the file is closed once it does.
        const settled = read.then(
          () => file.close(),
          () => file.close(),
        );
        onStall?.(p, settled);
        throw new RefusedFileError(p, { kind: "stalled", seconds: limits.stallMs / 1000 });
      }
      const { bytesRead } = outcome;
      if (bytesRead === 0) break;
      position += bytesRead;
      total += bytesRead;
      if (total > limits.maxBytes)
        throw new RefusedFileError(p, { kind: "too-large", size: total, limit: limits.maxBytes, grew: true });
      yield bytesRead === want ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    if (!stalled) await file.close();
  }
}

/** A whole file, read as `readFileChunks` reads it. */
export async function readWholeFile(
  p: string,
  within: string | undefined,
  limits: ReadLimits,
  onStall?: OnStall,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of readFileChunks(p, within, limits, undefined, onStall)) chunks.push(chunk);
  const whole = chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
  return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
}

/** The promise's value, or `stalled` if it takes longer than `ms`. */
async function withinTime<T>(promise: Promise<T>, ms: number): Promise<T | "stalled"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"stalled">((resolve) => {
    timer = setTimeout(() => resolve("stalled"), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
