/** The text encodings c2c reads. Excel writes all of them. */
export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

/**
 * Chooses the encoding from the first bytes: a byte-order mark decides; otherwise valid UTF-8 is
 * UTF-8, and anything else is taken as Windows-1252 (what Excel's "CSV" writes on Windows).
 * Returns null for bytes that look binary (NULs without a UTF-16 mark).
 */
export function sniffEncoding(head: Uint8Array): { encoding: TextEncodingName; bomLength: number } | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  if (head.includes(0)) return null;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return { encoding: "utf-8", bomLength: 0 };
  } catch {
    // Text that holds real UTF-8 characters is UTF-8 with a bad byte (reported on its line), not
    // Windows-1252, whose accented letters almost never form valid UTF-8 sequences.
    return { encoding: countUtf8Sequences(head) > 0 ? "utf-8" : "windows-1252", bomLength: 0 };
  }
}

/** How many valid multi-byte UTF-8 sequences the bytes hold. */
function countUtf8Sequences(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) continue;
    let ok = true;
    for (let k = 1; k < len; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) ok = false;
    if (ok) {
      n++;
      i += len - 1;
    }
  }
  return n;
}

/** Where decoding stopped: the line holding the first byte that is not valid in the encoding. */
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
 * else the one sniffed from its first bytes. Throws DecodeError naming the
 * line of the first byte that is not valid in the sniffed encoding.
 */
export async function* decodeChunks(
  bytes: AsyncIterable<Uint8Array>,
  onEncoding: (encoding: TextEncodingName | null) => void,
  known?: TextEncodingName,
): AsyncGenerator<string> {
  let encoding: TextEncodingName | null = known ?? null;
  let decoder: TextDecoder | null = known ? new TextDecoder(known, { fatal: true, ignoreBOM: false }) : null;
  if (known) onEncoding(known);
  let lines = 1;
  let pending: Uint8Array | null = null;
  for await (const raw of bytes) {
    let chunk = raw;
    if (decoder === null) {
      // Sniff on at least 4 KiB so a mark split across reads is still seen.
      chunk = pending ? concat(pending, raw) : raw;
      if (chunk.length < 4096) {
        pending = chunk;
        continue;
      }
      pending = null;
      const sniffed = sniffEncoding(chunk.subarray(0, 64 * 1024));
      onEncoding(sniffed?.encoding ?? null);
      if (!sniffed) throw new DecodeError("utf-8", 1);
      encoding = sniffed.encoding;
      decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
    }
    yield decodeOrThrow(decoder, chunk, true);
  }
  if (decoder === null) {
    const chunk = pending ?? new Uint8Array();
    const sniffed = sniffEncoding(chunk);
    onEncoding(sniffed?.encoding ?? null);
    if (!sniffed) throw new DecodeError("utf-8", 1);
    encoding = sniffed.encoding;
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
    // Decode in streaming mode, then flush: Node 20's one-shot Windows-1252 decode of short input
    // takes a Latin-1 shortcut that turns ’ “ ” – — € into control characters (nodejs/node#56542).
    yield decodeOrThrow(decoder, chunk, true);
    yield decodeOrThrow(decoder, new Uint8Array(), false);
  } else {
    yield decodeOrThrow(decoder, new Uint8Array(), false);
  }

  function decodeOrThrow(d: TextDecoder, chunk: Uint8Array, stream: boolean): string {
    try {
      const text = d.decode(chunk, { stream });
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
      return text;
    } catch {
      throw new DecodeError(encoding ?? "utf-8", lines + countNewlinesBeforeInvalid(chunk, encoding ?? "utf-8"));
    }
  }
}

/** Newlines in `chunk` before its first undecodable byte, found by decoding ever shorter prefixes. */
function countNewlinesBeforeInvalid(chunk: Uint8Array, encoding: TextEncodingName): number {
  let lo = 0;
  let hi = chunk.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder(encoding, { fatal: true }).decode(chunk.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  let n = 0;
  for (let i = 0; i < lo; i++) if (chunk[i] === 0x0a) n++;
  return n;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
