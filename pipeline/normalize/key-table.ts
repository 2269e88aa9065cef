/**
 * The keys of a file's rows, to find repeats, in a few bytes a row: each key is kept as two
 * independent 32-bit hashes (a false repeat needs both to collide: about one chance in 10^19 per
 * pair of rows) in an open-addressing table of typed arrays, with the line it was first seen on and
 * a hash of the whole row. Ten million rows take about 320 MB at worst, not gigabytes of strings.
 */
export class KeyTable {
  private h1 = new Uint32Array(1024);
  private h2 = new Uint32Array(1024);
  private lines = new Uint32Array(1024);
  private wholes = new Uint32Array(1024);
  private used = new Uint8Array(1024);
  private count = 0;

  /** The first line and whole-row hash of `key`, or records them and returns undefined. */
  seenOrAdd(key: string, whole: string, line: number): { line: number; sameRow: boolean } | undefined {
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    const a = fnv1a(key, 0x811c9dc5);
    const b = (fnv1a(key, 0x01000193 ^ 0x5bd1e995) | 1) >>> 0;
    const w = fnv1a(whole, 0x811c9dc5);
    const mask = this.used.length - 1;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      if (this.used[i] === 0) {
        this.used[i] = 1;
        this.h1[i] = a;
        this.h2[i] = b;
        this.lines[i] = line;
        this.wholes[i] = w;
        this.count++;
        return undefined;
      }
      if (this.h1[i] === a && this.h2[i] === b) return { line: this.lines[i] as number, sameRow: this.wholes[i] === w };
    }
  }

  private grow(): void {
    const { h1, h2, lines, wholes, used } = this;
    const size = used.length * 2;
    this.h1 = new Uint32Array(size);
    this.h2 = new Uint32Array(size);
    this.lines = new Uint32Array(size);
    this.wholes = new Uint32Array(size);
    this.used = new Uint8Array(size);
    const mask = size - 1;
    for (let j = 0; j < used.length; j++) {
      if (used[j] === 0) continue;
      let i = (h1[j] as number) & mask;
      while (this.used[i] === 1) i = (i + 1) & mask;
      this.used[i] = 1;
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
