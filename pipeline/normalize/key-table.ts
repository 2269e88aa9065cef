/**
 * The keys of a file's rows, to find repeats, in 16 bytes a slot: each key is kept as two
 * independently mixed 32-bit hashes (a false repeat needs both to collide: about one chance in
 * 10^19 per pair of rows), with the line it was first seen on (0 marks an empty slot: lines start
 * at 2) and a hash of the whole row, in one open-addressing table filled up to three quarters.
 * A slot's four words sit side by side, so a probe reads one cache line. `reserve` sizes the table
 * once for the rows a file is expected to hold, so a large file does not pass through a last
 * doubling that holds the old and the new table at once. Ten million rows would take about 210 MB,
 * not gigabytes of strings: this is the one part of the default engine that grows with the rows,
 * so a file of 256 MB or more keeps its keys on disk instead (`KeySpill`), and uses a table only
 * for one partition of them at a time.
 */
import { itemAt } from "../internal-error.ts";

export class KeyTable {
  /** [h1, h2, line, whole] per slot. */
  private slots: Uint32Array;
  private capacity: number;
  private count = 0;
  private readonly hash: KeyHash = { a: 0, b: 0 };

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.slots = new Uint32Array(capacity * 4);
  }

  /** Keys held. */
  get size(): number {
    return this.count;
  }

  /** Grows the table now to hold `keys` keys without growing again. */
  reserve(keys: number): void {
    const needed = Math.ceil((keys * 4) / 3) + 1;
    if (needed > this.capacity) this.rehash(needed);
  }

  /** The first line and whole-row hash of `key`, or records them and returns undefined. */
  seenOrAdd(key: string, whole: string, line: number): { line: number; sameRow: boolean } | undefined {
    return this.seenOrAddHashed(key, hashText(whole), line);
  }

  /** As `seenOrAdd`, with the whole row already hashed (normalize hashes its values without joining them). */
  seenOrAddHashed(key: string, whole: number, line: number): { line: number; sameRow: boolean } | undefined {
    hashKey(key, this.hash);
    return this.seenOrAddHashes(this.hash.a, this.hash.b, whole, line);
  }

  /** As `seenOrAdd`, with the key hashed by `hashKey` or `hashKeyParts` into `a` and `b`. */
  seenOrAddHashes(a: number, b: number, whole: number, line: number): { line: number; sameRow: boolean } | undefined {
    if ((this.count + 1) * 4 > this.capacity * 3) this.rehash(this.capacity * 2);
    const slots = this.slots;
    const capacity = this.capacity;
    for (let i = homeOf(a, capacity); ; i = i + 1 === capacity ? 0 : i + 1) {
      const at = i * 4;
      const first = itemAt(slots, at + 2, "slot");
      if (first === 0) {
        slots[at] = a;
        slots[at + 1] = b;
        slots[at + 2] = Math.max(1, line);
        slots[at + 3] = whole;
        this.count++;
        return undefined;
      }
      if (slots[at] === a && slots[at + 1] === b) return { line: first, sameRow: slots[at + 3] === whole >>> 0 };
    }
  }

  /**
   * The table's slots, [h1, h2, line, whole] each (line 0: empty), to hand to another thread,
   * which looks keys up in them with `findInSlots`. The table is not to be used afterwards.
   */
  release(): Uint32Array {
    const slots = this.slots;
    this.slots = new Uint32Array(4);
    this.capacity = 1;
    this.count = 0;
    return slots;
  }

  private rehash(capacity: number): void {
    const old = this.slots;
    const slots = new Uint32Array(capacity * 4);
    for (let j = 0; j < old.length; j += 4) {
      if (old[j + 2] === 0) continue;
      let i = homeOf(itemAt(old, j, "slot"), capacity);
      while (slots[i * 4 + 2] !== 0) i = i + 1 === capacity ? 0 : i + 1;
      slots.set(old.subarray(j, j + 4), i * 4);
    }
    this.slots = slots;
    this.capacity = capacity;
  }
}

/** The hashing of `hashKey`, one character at a time. */
const P1 = 0x01000193;
const P2 = 0x9e3779b1;

/** A key's two hashes, unsigned 32-bit. */
export interface KeyHash {
  a: number;
  b: number;
}

/**
 * Two independently mixed 32-bit hashes of a key, computed in one pass, into `out` (an object the
 * caller keeps, so nothing is allocated per row).
 */
export function hashKey(key: string, out: KeyHash): void {
  let a = 0x811c9dc5;
  let b = 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, P1);
    b = Math.imul(b ^ c, P2);
    b ^= b >>> 15;
  }
  out.a = mix(a ^ key.length);
  out.b = mix(b + Math.imul(key.length, 0x85ebca6b));
}

/**
 * `hashKey` of the first `count` parts joined by NUL and lowercased, without building that string:
 * the same hashes as `hashKey(parts.join("\u0000").toLowerCase())`.
 */
export function hashKeyParts(parts: readonly string[], count: number, out: KeyHash): void {
  let a = 0x811c9dc5;
  let b = 0x5bd1e995;
  let length = count - 1;
  for (let p = 0; p < count; p++) {
    if (p > 0) {
      a = Math.imul(a, P1);
      b = Math.imul(b, P2);
      b ^= b >>> 15;
    }
    let text = itemAt(parts, p, "key part");
    let ascii = true;
    for (let i = 0; i < text.length; i++)
      if (text.charCodeAt(i) > 127) {
        ascii = false;
        break;
      }
    // Beyond ASCII, lowering may change a letter's length (`İ` is two): lower the part as a whole.
    if (!ascii) text = text.toLowerCase();
    length += text.length;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (ascii && c >= 65 && c <= 90) c += 32;
      a = Math.imul(a ^ c, P1);
      b = Math.imul(b ^ c, P2);
      b ^= b >>> 15;
    }
  }
  out.a = mix(a ^ length);
  out.b = mix(b + Math.imul(length, 0x85ebca6b));
}

/** Where the key hashed to `a` and `b` is in a table's released slots (its index times 4), or -1. */
export function findInSlots(slots: Uint32Array, a: number, b: number): number {
  const capacity = slots.length / 4;
  for (let i = homeOf(a, capacity); ; i = i + 1 === capacity ? 0 : i + 1) {
    const at = i * 4;
    if (slots[at + 2] === 0) return -1;
    if (slots[at] === a && slots[at + 1] === b) return at;
  }
}

/** A slot from a hash: its share of the table, so any capacity works, not only powers of two. */
function homeOf(hash: number, capacity: number): number {
  return Math.floor(((hash >>> 0) / 4294967296) * capacity);
}

/** Murmur3's finalizer: every input bit moves every output bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit FNV-1a over UTF-16 code units. */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
