/**
 * The keys of a file's rows, to find repeats, in 16 bytes a slot: each key is kept as two
 * independent 32-bit hashes (a false repeat needs both to collide: about one chance in 10^19 per
 * pair of rows), with the line it was first seen on (0 marks an empty slot: lines start at 2) and a
 * hash of the whole row, in an open-addressing table filled up to three quarters. Ten million rows
 * take 268 MB, not gigabytes of strings; this is the one part of a build that grows with the rows.
 */
export class KeyTable {
  private h1 = new Uint32Array(1024);
  private h2 = new Uint32Array(1024);
  private lines = new Uint32Array(1024);
  private wholes = new Uint32Array(1024);
  private count = 0;

  /** The first line and whole-row hash of `key`, or records them and returns undefined. */
  seenOrAdd(key: string, whole: string, line: number): { line: number; sameRow: boolean } | undefined {
    if ((this.count + 1) * 4 > this.lines.length * 3) this.grow();
    // Both key hashes in one pass over the key.
    let a = 0x811c9dc5;
    let b = (0x01000193 ^ 0x5bd1e995) >>> 0;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193);
    }
    a >>>= 0;
    b >>>= 0;
    const w = fnv1a(whole, 0x811c9dc5);
    const mask = this.lines.length - 1;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      if (this.lines[i] === 0) {
        this.h1[i] = a;
        this.h2[i] = b;
        this.lines[i] = Math.max(1, line);
        this.wholes[i] = w;
        this.count++;
        return undefined;
      }
      if (this.h1[i] === a && this.h2[i] === b) return { line: this.lines[i] as number, sameRow: this.wholes[i] === w };
    }
  }

  private grow(): void {
    const { h1, h2, lines, wholes } = this;
    const size = lines.length * 2;
    this.h1 = new Uint32Array(size);
    this.h2 = new Uint32Array(size);
    this.lines = new Uint32Array(size);
    this.wholes = new Uint32Array(size);
    const mask = size - 1;
    for (let j = 0; j < lines.length; j++) {
      if (lines[j] === 0) continue;
      let i = (h1[j] as number) & mask;
      while (this.lines[i] !== 0) i = (i + 1) & mask;
      this.h1[i] = h1[j] as number;
      this.h2[i] = h2[j] as number;
      this.lines[i] = lines[j] as number;
      this.wholes[i] = wholes[j] as number;
    }
  }
}

/** 32-bit FNV-1a over UTF-16 code units, from a chosen offset basis. */
function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
