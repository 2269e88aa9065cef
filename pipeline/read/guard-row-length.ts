/** Where a row ran past the limit: its spreadsheet row number, and whether it was inside a quoted value. */
export interface RowTooLong {
  row: number;
  quoted: boolean;
}

const START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just after a quote inside a quoted value: `""` is an escaped quote, a delimiter or line break closes it. */
const QUOTE_IN_QUOTED = 3;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Passes decoded text through until one row (a record: quoted line breaks do not end it) runs past
 * `maxChars`, then reports it and ends the text there. papaparse keeps an unfinished row whole and
 * scans it again with every chunk, so without this guard one enormous line, a quote that never
 * closes or a stream of garbage costs memory and time in proportion to the whole file.
 * The states follow RFC 4180 as papaparse reads it: a quote opens a value only at its start.
 */
export async function* guardRowLength(
  text: AsyncIterable<string>,
  delimiter: string,
  maxChars: number,
  onTooLong: (where: RowTooLong) => void,
): AsyncGenerator<string> {
  const delim = delimiter.charCodeAt(0);
  let state = START;
  let length = 0;
  let row = 1;
  let afterCR = false;
  for await (const chunk of text) {
    // Most text has no quotes: then only line breaks matter, found with indexOf, not char by char.
    if ((state === START || state === UNQUOTED) && chunk.indexOf('"') === -1) {
      const hasCR = chunk.indexOf("\r") !== -1;
      let i = 0;
      while (i < chunk.length) {
        let b = chunk.indexOf("\n", i);
        if (hasCR) {
          const r = chunk.indexOf("\r", i);
          if (r !== -1 && (b === -1 || r < b)) b = r;
        }
        const end = b === -1 ? chunk.length : b;
        if (length + (end - i) > maxChars) {
          const cut = i + (maxChars - length);
          onTooLong({ row, quoted: false });
          if (cut > 0) yield chunk.slice(0, cut);
          return;
        }
        if (end > i) {
          length += end - i;
          afterCR = false;
          state = chunk.charCodeAt(end - 1) === delim ? START : UNQUOTED;
        }
        if (b === -1) break;
        const c = chunk.charCodeAt(b);
        if (!(afterCR && c === LF)) row++;
        afterCR = c === CR;
        length = 0;
        state = START;
        i = b + 1;
      }
      yield chunk;
      continue;
    }
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      const crlf = afterCR && c === LF;
      afterCR = c === CR;
      if (state === QUOTED) {
        if (c === QUOTE) state = QUOTE_IN_QUOTED;
      } else if (c === LF || c === CR) {
        if (!crlf) row++;
        length = 0;
        state = START;
        continue;
      } else if (state === QUOTE_IN_QUOTED) {
        state = c === delim ? START : QUOTED;
      } else if (c === delim) {
        state = START;
      } else if (state === START && c === QUOTE) {
        state = QUOTED;
      } else {
        state = UNQUOTED;
      }
      if (++length > maxChars) {
        onTooLong({ row, quoted: state === QUOTED || state === QUOTE_IN_QUOTED });
        if (i > 0) yield chunk.slice(0, i);
        return;
      }
    }
    yield chunk;
  }
}
