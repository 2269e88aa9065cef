import { MARK_LONG, MARK_QUOTE, type SpotCounter } from "./bad-spots.ts";

/** What the guard did to the text it passed on. */
export interface GuardReport {
  /** Rows cut at the limit (the rest of each dropped up to its line break). */
  cut: number;
  /** Quotes that opened a value which never closed, taken out so the lines after are read as rows. */
  runaways: number;
  /** Whether the text ended inside a quoted value (whose opening quote was then taken out). */
  endedQuoted: boolean;
  /** The guard stopped the text: so many quotes never closed that reading on would cost time without bound. */
  stopped: boolean;
}

export function newGuardReport(): GuardReport {
  return { cut: 0, runaways: 0, endedQuoted: false, stopped: false };
}

/** The line break papaparse would choose for text beginning so (`guessLineEndings`, papaparse 5.5). */
export function guessNewline(text: string): "\r\n" | "\n" | "\r" {
  const input = text.slice(0, 1024 * 1024).replace(/"([\s\S]*?)"/g, "");
  const r = input.split("\r");
  const n = input.split("\n");
  if (r.length === 1 || (n.length > 1 && (n[0] as string).length < (r[0] as string).length)) return "\n";
  let withN = 0;
  for (const part of r) if (part[0] === "\n") withN++;
  return withN >= r.length / 2 ? "\r\n" : "\r";
}

const START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just after a quote inside a quoted value: `""` is an escaped quote; a delimiter or line break closes it. */
const AFTER_QUOTE = 3;
/** Spaces after such a quote: papaparse still closes the value at a delimiter or line break. */
const AFTER_SPACE = 4;
/** Dropping the rest of a row cut at the limit, up to its line break. */
const SKIP = 5;

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** What `String.prototype.trim` takes away: papaparse allows it between a closing quote and the delimiter. */
function isSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Passes decoded text on to papaparse so that no row costs more than `maxChars` of memory, and no
 * bad row costs more than itself. papaparse keeps an unfinished row whole and scans it again with
 * every chunk, so one enormous line, a quote that never closes or a stream of garbage would cost
 * memory and time in proportion to the whole file; and a quote that never closes would swallow
 * every line after it. So:
 *
 * - a row that runs past `maxChars` outside quotes is cut there, marked (`MARK_LONG`), and the rest
 *   of it dropped up to its line break, never held;
 * - the text of a quoted value still open at the end of a chunk is held back (at most `maxChars`)
 *   until it closes; one that runs past `maxChars` or to the end of the text, or that runs over a
 *   line break and then meets a quote that does not close it (a stray quote paired with a later
 *   row's), never closed: its opening quote is replaced by `MARK_QUOTE` and the held text read
 *   again as unquoted, so its row is the one bad row and the lines after it are rows again.
 *
 * The states follow papaparse's parser exactly (a quote opens a value only at its start, `""`
 * escapes, spaces may follow a closing quote, only `newline` breaks a line), so the guard sees the
 * rows papaparse will make. Marks are counted on `counter`.
 */
export class RowGuard {
  private state = START;
  /** Characters of the current row so far, its line break not counted. */
  private length = 0;
  /** Text held back: from the opening quote of a value still open (scanned already). */
  private held = "";
  private lengthAtQuote = 0;
  /** Whether the open quoted value has run over a line break. */
  private crossed = false;
  /** A CR at the end of a chunk when lines break at CRLF: whether it breaks a line, the next chunk says. */
  private cr = "";
  /** Characters read again after quotes taken out: bounded, so a file of quotes cannot cost time without bound. */
  private rescanned = 0;
  private readonly delim: number;
  private readonly newlineLength: number;

  constructor(
    delimiter: string,
    private readonly newline: string,
    private readonly maxChars: number,
    private readonly counter: SpotCounter,
    readonly report: GuardReport = newGuardReport(),
  ) {
    this.delim = delimiter.charCodeAt(0);
    this.newlineLength = newline.length;
  }

  /** The text to pass on for the next chunk. */
  push(chunk: string): string {
    if (this.report.stopped) return "";
    let text = this.cr + chunk;
    this.cr = "";
    if (this.newline === "\r\n" && text.charCodeAt(text.length - 1) === CR) {
      this.cr = "\r";
      text = text.slice(0, -1);
    }
    if (this.held === "" && this.state !== QUOTED && this.state !== AFTER_QUOTE && this.state !== AFTER_SPACE)
      if (text.indexOf('"') === -1) return this.plain(text);
    const buf = this.held + text;
    const from = this.held.length;
    this.held = "";
    return this.scan(buf, from, from > 0 ? 0 : -1, false);
  }

  /** The text to pass on at the end. */
  end(): string {
    if (this.report.stopped) return "";
    const buf = this.held + this.cr;
    const from = this.held.length;
    const quoteAt = from > 0 ? 0 : -1;
    this.held = "";
    this.cr = "";
    return this.scan(buf, from, quoteAt, true);
  }

  private isNewline(buf: string, i: number, c: number): boolean {
    const first = this.newline.charCodeAt(0);
    if (c !== first) return false;
    return this.newlineLength === 1 || buf.charCodeAt(i + 1) === LF;
  }

  /** Text without a quote, outside quotes: only line breaks matter, found with indexOf. */
  private plain(text: string): string {
    const out: string[] = [];
    let emitted = 0;
    let i = 0;
    while (i < text.length) {
      const nl = text.indexOf(this.newline, i);
      if (this.state === SKIP) {
        if (nl === -1) return out.join("");
        emitted = nl;
        i = nl + this.newlineLength;
        this.state = START;
        this.length = 0;
        continue;
      }
      const end = nl === -1 ? text.length : nl;
      if (this.length + (end - i) > this.maxChars) {
        const cut = i + (this.maxChars - this.length);
        out.push(text.slice(emitted, cut), MARK_LONG);
        this.markCut();
        emitted = cut;
        i = cut;
        continue;
      }
      if (end > i) {
        this.length += end - i;
        this.state = text.charCodeAt(end - 1) === this.delim ? START : UNQUOTED;
      }
      if (nl === -1) break;
      i = nl + this.newlineLength;
      this.length = 0;
      this.state = START;
    }
    out.push(text.slice(emitted));
    return out.join("");
  }

  private markCut(): void {
    this.state = SKIP;
    this.counter.pending++;
    this.report.cut++;
  }

  /**
   * Scans `buf` from `from` (what is before it was scanned already, and held), character by
   * character. `quoteAt`: where the quoted value still open starts in `buf`, or -1.
   */
  private scan(buf: string, from: number, openQuote: number, final: boolean): string {
    let quoteAt = openQuote;
    const out: string[] = [];
    let emitted = 0;
    let i = from;
    // The quote at `quoteAt` opened a value that never closed: it is passed on as `MARK_QUOTE`
    // (what precedes it is final), and what follows is read again as unquoted.
    const takeOut = () => {
      out.push(buf.slice(emitted, quoteAt), MARK_QUOTE);
      emitted = quoteAt + 1;
      i = quoteAt + 1;
      quoteAt = -1;
      this.noteRunaway();
    };
    for (;;) {
      while (i < buf.length) {
        const c = buf.charCodeAt(i);
        const state = this.state;
        if (state === SKIP) {
          const nl = buf.indexOf(this.newline, i);
          if (nl === -1) {
            emitted = buf.length;
            i = buf.length;
            break;
          }
          emitted = nl;
          i = nl + this.newlineLength;
          this.state = START;
          this.length = 0;
          continue;
        }
        let rowEnd = false;
        if (state === QUOTED) {
          if (c === QUOTE) this.state = AFTER_QUOTE;
          else if (c === LF || c === CR) this.crossed = true;
        } else if (state === AFTER_QUOTE || state === AFTER_SPACE) {
          if (c === QUOTE) this.state = state === AFTER_QUOTE ? QUOTED : AFTER_QUOTE;
          else if (c === this.delim) this.state = START;
          else if (this.isNewline(buf, i, c)) rowEnd = true;
          else if (isSpace(c)) this.state = AFTER_SPACE;
          else if (this.crossed && quoteAt !== -1) {
            // A quote inside a value that ran over a line break and does not close it: the value's
            // opening quote was a stray one, paired with a quote of a later row. Taken out, the
            // rows it swallowed are rows again.
            takeOut();
            if (this.report.stopped) return out.join("");
            continue;
          } else this.state = QUOTED;
          if (this.state === START || rowEnd) quoteAt = -1;
        } else if (c === this.delim) {
          this.state = START;
        } else if (this.isNewline(buf, i, c)) {
          rowEnd = true;
        } else if (state === START && c === QUOTE) {
          this.state = QUOTED;
          quoteAt = i;
          this.lengthAtQuote = this.length;
          this.crossed = false;
        } else {
          this.state = UNQUOTED;
        }
        if (rowEnd) {
          i += this.newlineLength;
          this.length = 0;
          this.state = START;
          continue;
        }
        if (++this.length > this.maxChars) {
          if (quoteAt !== -1) {
            takeOut();
            if (this.report.stopped) return out.join("");
            continue;
          }
          out.push(buf.slice(emitted, i), MARK_LONG);
          this.markCut();
          emitted = i;
          continue;
        }
        i++;
      }
      // At the end of the text, a value still open never closes (a quote just before the end closes it).
      if (final && quoteAt !== -1 && this.state !== AFTER_QUOTE) {
        this.report.endedQuoted = true;
        takeOut();
        if (this.report.stopped) return out.join("");
        continue;
      }
      break;
    }
    if (!final && quoteAt !== -1) {
      out.push(buf.slice(emitted, quoteAt));
      this.held = buf.slice(quoteAt);
    } else if (emitted < buf.length) out.push(buf.slice(emitted));
    return out.join("");
  }

  /** Counts a quote taken out, and what reading again after it costs; resumes unquoted just after it. */
  private noteRunaway(): void {
    this.counter.pending++;
    this.report.runaways++;
    this.rescanned += this.length - this.lengthAtQuote;
    if (this.rescanned > 64 * this.maxChars) this.report.stopped = true;
    this.length = this.lengthAtQuote + 1;
    this.state = UNQUOTED;
  }
}

/** The guard over a stream of text: see `RowGuard`. */
export async function* guardRowLength(text: AsyncIterable<string>, guard: RowGuard): AsyncGenerator<string> {
  for await (const chunk of text) {
    const out = guard.push(chunk);
    if (out !== "") yield out;
    if (guard.report.stopped) return;
  }
  const rest = guard.end();
  if (rest !== "") yield rest;
}
