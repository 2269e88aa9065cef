import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MARK_BAD, MARK_GUESSED } from "./bad-spots.ts";
import { decodeChunks, type TextEncodingName } from "./decode-text.ts";

/** The text `bytes` decode to, fed in chunks cut at `cuts`, with the marks counted. */
async function decode(bytes: Uint8Array, cuts: number[] = [], known?: TextEncodingName) {
  const at = [0, ...[...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b), bytes.length];
  async function* chunks() {
    for (let k = 0; k + 1 < at.length; k++) yield bytes.subarray(at[k], at[k + 1]);
  }
  let marks = 0;
  let encoding: string | null = null;
  let text = "";
  for await (const t of decodeChunks(
    chunks(),
    (e) => {
      encoding = e;
    },
    known,
    (n) => {
      marks += n;
    },
  ))
    text += t;
  return { text, marks, encoding };
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const join = (...parts: (Uint8Array | number[])[]) => new Uint8Array(parts.flatMap((p) => [...p]));

describe("decodeChunks", () => {
  it("reads a UTF-8 file with one byte of another encoding, marking that byte as read in Windows-1252, however it is cut", async () => {
    const bytes = join(utf8("Peña,1\nJos"), [0xe9], utf8(" Martí,2\n"));
    for (const cuts of [[], [4], [5], [11], [3, 11, 12]]) {
      const { text, marks, encoding } = await decode(bytes, cuts);
      expect(encoding).toBe("utf-8");
      expect(text).toBe(`Peña,1\nJos${MARK_GUESSED}é Martí,2\n`);
      expect(marks).toBe(1);
    }
  });

  it("marks a byte that is a character in neither encoding, a NUL, and a noncharacter the file holds itself", async () => {
    const { text, marks } = await decode(join(utf8("ñ,"), [0x81], utf8(",\u0000,\uFDD0\n")), [], "utf-8");
    expect(text).toBe(`ñ,${MARK_BAD}\u0081,\u0000,${MARK_BAD}\uFFFD\n`);
    expect(marks).toBe(3);
  });

  it("takes a NUL in the first line for a binary file, and one further on for a bad spot of its row", async () => {
    await expect(decode(join(utf8("a,b"), [0], utf8("\nc,d\n")))).rejects.toThrow();
    expect((await decode(join(utf8("a,b\nc"), [0], utf8(",d\n")))).marks).toBe(1);
  });

  it("drops the byte-order mark once, keeps a zero-width space later on, and marks a sequence the file cuts off", async () => {
    const bom = [0xef, 0xbb, 0xbf];
    const { text, marks } = await decode(join(bom, utf8("a\n\uFEFFb\n"), [0xc3]), [1, 2, 6]);
    expect(text).toBe(`a\n\uFEFFb\n${MARK_GUESSED}Ã`);
    expect(marks).toBe(1);
  });

  it("marks an unpaired surrogate in UTF-16, and an odd last byte", async () => {
    const le = join([0xff, 0xfe], [0x61, 0], [0x00, 0xd8], [0x62, 0], [0x3d, 0xd8, 0x00, 0xde], [0x63]);
    for (const cuts of [[], [3], [5], [7], [9]]) {
      const { text, marks, encoding } = await decode(le, cuts);
      expect(encoding).toBe("utf-16le");
      expect(text).toBe(`a${MARK_BAD}\uFFFDb😀${MARK_BAD}\uFFFD`);
      expect(marks).toBe(2);
    }
  });

  it("marks the five bytes Windows-1252 has no character for, in a Windows-1252 file", async () => {
    const { text, encoding, marks } = await decode(join(utf8("caf"), [0xe9, 0x2c, 0x8d, 0x0a]));
    expect(encoding).toBe("windows-1252");
    expect(text).toBe(`café,${MARK_BAD}\u008D\n`);
    expect(marks).toBe(1);
  });

  it("gives the same text however valid UTF-8 is cut into chunks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.array(fc.nat(160), { maxLength: 5 }),
        async (s, cuts) => {
          const { text, marks } = await decode(utf8(s.replaceAll("\u0000", "")), cuts, "utf-8");
          expect(text).toBe(
            s
              .replaceAll("\u0000", "")
              .replace(/^\uFEFF/, "")
              .replace(/[\uFDD0-\uFDD3]/g, `${MARK_BAD}\uFFFD`),
          );
          expect(marks).toBe((s.match(/[\uFDD0-\uFDD3]/g) ?? []).length);
        },
      ),
      { numRuns: 300, seed: 17 },
    );
  });
});
