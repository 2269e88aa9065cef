import { itemAt } from "../internal-error.ts";
import { MARK_BAD, MARK_GUESSED } from "./bad-spots.ts";

/** The text encodings c2c reads. Excel writes all of them. */
export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

/**
 * Chooses the encoding from the first bytes: a byte-order mark decides; otherwise valid UTF-8 is
 * UTF-8, and anything else is taken as Windows-1252 (what Excel's "CSV" writes on Windows).
 * Returns null for bytes that look binary: a NUL in the first line without a UTF-16 mark (a
 * spreadsheet saved as .xlsx, UTF-16 without its mark). A NUL further on costs only its own row.
 */
export function sniffEncoding(head: Uint8Array): { encoding: TextEncodingName; bomLength: number } | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  if (firstLine(head).includes(0)) return null;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return { encoding: "utf-8", bomLength: 0 };
  } catch {
    // Text that holds real UTF-8 characters is UTF-8 with a bad byte (read on its line), not
    // Windows-1252, whose accented letters almost never form valid UTF-8 sequences.
    return { encoding: countUtf8Sequences(head) > 0 ? "utf-8" : "windows-1252", bomLength: 0 };
  }
}

function firstLine(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a || bytes[i] === 0x0d) return bytes.subarray(0, i);
  return bytes;
}

/** How many valid multi-byte UTF-8 sequences the bytes hold. */
function countUtf8Sequences(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const len = sequenceAt(bytes, i);
    if (len > 1) {
      n++;
      i += len - 1;
    }
  }
  return n;
}

/**
 * The length of the valid UTF-8 sequence starting at `i` (1 for ASCII), or 0 where the byte there
 * does not start one (including a sequence cut off by the end of `bytes`). The ranges are the
 * Unicode standard's (Table 3-7): no overlong forms, no surrogates, nothing past U+10FFFF.
 */
function sequenceAt(bytes: Uint8Array, i: number): number {
  const b = itemAt(bytes, i, "byte");
  if (b < 0x80) return 1;
  let len: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) len = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    len = 3;
    if (b === 0xe0) lo = 0xa0;
    if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    len = 4;
    if (b === 0xf0) lo = 0x90;
    if (b === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + len > bytes.length) return 0;
  const second = itemAt(bytes, i + 1, "byte");
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < len; k++) if ((itemAt(bytes, i + k, "byte") & 0xc0) !== 0x80) return 0;
  return len;
}

/**
 * How many bytes at the end of `bytes` begin a UTF-8 sequence that the next chunk may complete:
 * they are kept for it rather than decoded now.
 */
function unfinishedTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = itemAt(bytes, bytes.length - back, "byte");
    if ((b & 0xc0) === 0x80) continue;
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 1;
    return len > back ? back : 0;
  }
  return 0;
}

/** Windows-1252's characters for the bytes 0x80 to 0x9F ("" where it has none); from 0xA0 it is Latin-1. */
const CP1252_HIGH = [
  "€",
  "",
  "‚",
  "ƒ",
  "„",
  "…",
  "†",
  "‡",
  "ˆ",
  "‰",
  "Š",
  "‹",
  "Œ",
  "",
  "Ž",
  "",
  "",
  "‘",
  "’",
  "“",
  "”",
  "•",
  "–",
  "—",
  "˜",
  "™",
  "š",
  "›",
  "œ",
  "",
  "ž",
  "Ÿ",
];

/** A byte that is not valid where it is, as marked text: its Windows-1252 character, or a byte that is no character. */
function markByte(b: number): string {
  const ch = b >= 0xa0 ? String.fromCharCode(b) : (CP1252_HIGH[b - 0x80] ?? "");
  return ch === "" ? MARK_BAD + String.fromCharCode(b) : MARK_GUESSED + ch;
}

/** The noncharacters c2c marks bad spots with, where a file holds them itself: they are no text. */
const OWN_MARKS = /[\uFDD0-\uFDD3]/g;
const HAS_OWN_MARK = /[\uFDD0-\uFDD3]/;

/**
 * Marks the file's own noncharacters, and counts them with its NULs: each is a bad spot of its row.
 * `marked`: the text already holds c2c's marks (which stay), and no noncharacter of the file's own.
 */
function withOwnMarks(text: string, onMarks: (n: number) => void, marked = false): string {
  let n = 0;
  for (let i = text.indexOf("\u0000"); i !== -1; i = text.indexOf("\u0000", i + 1)) n++;
  let out = text;
  if (!marked && HAS_OWN_MARK.test(text)) {
    out = text.replace(OWN_MARKS, () => {
      n++;
      return `${MARK_BAD}\uFFFD`;
    });
  }
  if (n > 0) onMarks(n);
  return out;
}

/** The five bytes Windows-1252 has no character for, as decoded (C1 controls): bytes that are no text. */
const CP1252_UNDEFINED = /[\u0081\u008D\u008F\u0090\u009D]/g;
const HAS_CP1252_UNDEFINED = /[\u0081\u008D\u008F\u0090\u009D]/;

function undefinedBytes(text: string, onMarks: (n: number) => void): string {
  if (!HAS_CP1252_UNDEFINED.test(text)) return text;
  let n = 0;
  const out = text.replace(CP1252_UNDEFINED, (ch) => {
    n++;
    return MARK_BAD + ch;
  });
  onMarks(n);
  return out;
}

/** Where the file cannot be read as text at all: bytes that look binary from its first line. */
export class DecodeError extends Error {
  readonly line: number;
  readonly encoding: TextEncodingName;
  constructor(encoding: TextEncodingName, line: number) {
    super(`invalid ${encoding} at line ${line}`);
    this.encoding = encoding;
    this.line = line;
  }
}

/**
 * Decodes a byte stream chunk by chunk, never holding the whole file; in the encoding `known`, or
 * else the one sniffed from its first bytes. Throws DecodeError when the file looks binary. A byte
 * that is not valid in a UTF-8 file is read as Windows-1252 (where that gives a character) and
 * marked, as are bytes that are no character at all; a UTF-16 file's unpaired surrogates too. Every
 * mark, and every NUL, is counted with `onMarks`: the reader finds them in their rows (`bad-spots.ts`).
 */
export async function* decodeChunks(
  bytes: AsyncIterable<Uint8Array>,
  onEncoding: (encoding: TextEncodingName | null) => void,
  known?: TextEncodingName,
  onMarks: (n: number) => void = () => {},
): AsyncGenerator<string> {
  let encoding: TextEncodingName | null = known ?? null;
  if (known) onEncoding(known);
  let pending: Uint8Array | null = null;
  let decode: ((chunk: Uint8Array, last: boolean) => string) | null = known ? decoderFor(known, onMarks) : null;
  for await (const raw of bytes) {
    let chunk = raw;
    if (decode === null) {
      // Sniff on at least 4 KiB so a mark split across reads is still seen.
      chunk = pending ? concat(pending, raw) : raw;
      if (chunk.length < 4096) {
        pending = chunk;
        continue;
      }
      pending = null;
      encoding = sniff(chunk, onEncoding);
      decode = decoderFor(encoding, onMarks);
    }
    const text = decode(chunk, false);
    if (text !== "") yield text;
  }
  if (decode === null) {
    const chunk = pending ?? new Uint8Array();
    encoding = sniff(chunk, onEncoding);
    decode = decoderFor(encoding, onMarks);
    const text = decode(chunk, false);
    if (text !== "") yield text;
  }
  const rest = decode(new Uint8Array(), true);
  if (rest !== "") yield rest;
}

function sniff(chunk: Uint8Array, onEncoding: (encoding: TextEncodingName | null) => void): TextEncodingName {
  const sniffed = sniffEncoding(chunk.subarray(0, 64 * 1024));
  onEncoding(sniffed?.encoding ?? null);
  if (!sniffed) throw new DecodeError("utf-8", 1);
  return sniffed.encoding;
}

/** A chunk decoder for one encoding: chunks in order, then `last` once at the end. The byte-order mark is dropped. */
function decoderFor(
  encoding: TextEncodingName,
  onMarks: (n: number) => void,
): (c: Uint8Array, last: boolean) => string {
  if (encoding === "windows-1252") {
    // Streamed, then flushed: Node 20's one-shot Windows-1252 decode of short input takes a Latin-1
    // shortcut that turns ’ “ ” – — € into control characters (nodejs/node#56542).
    const d = new TextDecoder("windows-1252");
    return (chunk, last) => undefinedBytes(withOwnMarks(d.decode(chunk, { stream: !last }), onMarks), onMarks);
  }
  const bom = encoding === "utf-8" ? [0xef, 0xbb, 0xbf] : encoding === "utf-16le" ? [0xff, 0xfe] : [0xfe, 0xff];
  let carry: Uint8Array | null = null;
  let start = true;
  return (chunk, last) => {
    let bytes = carry ? concat(carry, chunk) : chunk;
    carry = null;
    if (start && bytes.length > 0) {
      if (bytes.length < bom.length && !last) {
        carry = bytes;
        return "";
      }
      if (bom.every((b, i) => bytes[i] === b)) bytes = bytes.subarray(bom.length);
      start = false;
    }
    // A sequence the chunk cuts off waits for the next; at the end of the file, it is a bad spot.
    const keep = last ? 0 : encoding === "utf-8" ? unfinishedTail(bytes) : unfinishedUtf16(bytes, encoding);
    if (keep > 0) {
      carry = bytes.slice(bytes.length - keep);
      bytes = bytes.subarray(0, bytes.length - keep);
    }
    return encoding === "utf-8" ? decodeUtf8(bytes, onMarks) : decodeUtf16(bytes, encoding, onMarks);
  };
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Whole UTF-8 sequences (a chunk with its unfinished tail kept back), with any bad byte marked. */
function decodeUtf8(bytes: Uint8Array, onMarks: (n: number) => void): string {
  try {
    return withOwnMarks(UTF8.decode(bytes), onMarks);
  } catch {
    // The slow way, for a chunk that has a bad byte: valid runs decoded at once, bad bytes marked.
    const out: string[] = [];
    let run = 0;
    let bad = 0;
    for (let i = 0; i < bytes.length; ) {
      if (itemAt(bytes, i, "byte") < 0x80) {
        i++;
        continue;
      }
      const len = sequenceAt(bytes, i);
      if (len > 0) {
        i += len;
        continue;
      }
      if (i > run) out.push(withOwnMarks(UTF8.decode(bytes.subarray(run, i)), onMarks));
      out.push(markByte(itemAt(bytes, i, "byte")));
      bad++;
      i++;
      run = i;
    }
    if (run < bytes.length) out.push(withOwnMarks(UTF8.decode(bytes.subarray(run)), onMarks));
    onMarks(bad);
    return out.join("");
  }
}

/** How many bytes at the end of UTF-16 `bytes` to keep for the next chunk: an odd byte, or a high surrogate. */
function unfinishedUtf16(bytes: Uint8Array, encoding: "utf-16le" | "utf-16be"): number {
  const odd = bytes.length % 2;
  const end = bytes.length - odd;
  if (end < 2) return odd;
  const high = encoding === "utf-16le" ? itemAt(bytes, end - 1, "byte") : itemAt(bytes, end - 2, "byte");
  return (high & 0xfc) === 0xd8 ? odd + 2 : odd;
}

/** Whole UTF-16 code units, with any unpaired surrogate (and a last odd byte) marked. */
function decodeUtf16(bytes: Uint8Array, encoding: "utf-16le" | "utf-16be", onMarks: (n: number) => void): string {
  const odd = bytes.length % 2 === 1;
  const even = odd ? bytes.subarray(0, bytes.length - 1) : bytes;
  let text: string;
  try {
    text = withOwnMarks(new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(even), onMarks);
  } catch {
    // The slow way: unit by unit, an unpaired surrogate marked as no character.
    const unit = (i: number) =>
      encoding === "utf-16le"
        ? itemAt(even, i, "byte") | (itemAt(even, i + 1, "byte") << 8)
        : (itemAt(even, i, "byte") << 8) | itemAt(even, i + 1, "byte");
    const out: string[] = [];
    let bad = 0;
    for (let i = 0; i < even.length; i += 2) {
      const u = unit(i);
      const next = i + 2 < even.length ? unit(i + 2) : -1;
      if (u >= 0xd800 && u <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out.push(String.fromCharCode(u, next));
        i += 2;
      } else if ((u >= 0xd800 && u <= 0xdfff) || (u >= 0xfdd0 && u <= 0xfdd3)) {
        out.push(`${MARK_BAD}\uFFFD`);
        bad++;
      } else out.push(String.fromCharCode(u));
    }
    onMarks(bad);
    text = withOwnMarks(out.join(""), onMarks, true);
  }
  if (!odd) return text;
  onMarks(1);
  return `${text}${MARK_BAD}\uFFFD`;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
