import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inspectPath, listFolder } from "./inspect-path.ts";
import { chunksOf, openFound, readFileChunks, readWholeFile } from "./open-file.ts";
import { type Refusal, RefusedFileError } from "./path-kind.ts";
import { DEFAULT_READ_LIMITS, formatSize, parseReadLimits, parseSize } from "./read-limits.ts";

/**
 * c2c opens nothing but a regular file, and, confined to a folder, nothing outside it: what it
 * finds instead is described (and never opened), and every read is bounded in bytes and time.
 */
const dir = mkdtempSync(path.join(tmpdir(), "c2c-open-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const project = path.join(dir, "project");
const outside = path.join(dir, "outside.csv");
mkdirSync(path.join(project, "data", "sub"), { recursive: true });
writeFileSync(outside, "secret\n");
writeFileSync(path.join(project, "data", "good.csv"), "a,b\n1,2\n");
symlinkSync(outside, path.join(project, "data", "out.csv"));
symlinkSync("good.csv", path.join(project, "data", "in.csv"));
symlinkSync("loop.csv", path.join(project, "data", "loop.csv"));
symlinkSync("sub", path.join(project, "data", "folder-link"));
symlinkSync("/dev/zero", path.join(project, "data", "zero.csv"));
spawnSync("mkfifo", [path.join(project, "data", "pipe.csv")]);

const limits = { ...DEFAULT_READ_LIMITS, stallMs: 200 };

async function refusalOf(run: () => Promise<unknown>): Promise<Refusal["kind"] | "read"> {
  try {
    await run();
    return "read";
  } catch (e) {
    if (e instanceof RefusedFileError) return e.refusal.kind;
    throw e;
  }
}

describe("what is at a path", () => {
  it("follows a link only to say where it leads, and whether that stays inside", async () => {
    const at = (name: string) => inspectPath(path.join(project, "data", name), project);
    expect(await at("good.csv")).toMatchObject({ kind: "file", link: false, size: 8 });
    expect(await at("in.csv")).toMatchObject({ kind: "file", link: true });
    expect(await at("out.csv")).toEqual({ kind: "link-outside", target: outside });
    expect(await at("zero.csv")).toEqual({ kind: "link-outside", target: "/dev/zero" });
    expect(await at("loop.csv")).toEqual({ kind: "link-loop" });
    expect(await at("folder-link")).toMatchObject({ kind: "folder", link: true });
    expect(await at("pipe.csv")).toEqual({ kind: "special", type: "fifo", link: false });
    expect(await at("nothing.csv")).toEqual({ kind: "missing" });
    // Not confined, a link is followed anywhere: a file the user names on the command line.
    expect(await inspectPath(path.join(project, "data", "out.csv"))).toMatchObject({ kind: "file", link: true });
    expect(await inspectPath("/dev/zero")).toEqual({ kind: "special", type: "device", link: false });
  });

  it("lists a folder with each entry described, never descending into a link", async () => {
    const listed = await listFolder(path.join(project, "data"), project);
    expect(listed.map((e) => [e.path, e.what.kind])).toEqual([
      ["folder-link/", "folder"],
      ["good.csv", "file"],
      ["in.csv", "file"],
      ["loop.csv", "link-loop"],
      ["out.csv", "link-outside"],
      ["pipe.csv", "special"],
      ["sub/", "folder"],
      ["zero.csv", "link-outside"],
    ]);
  });
});

describe("opening and reading", () => {
  it("reads a regular file, and one through a link that stays inside", async () => {
    expect(new TextDecoder().decode(await readWholeFile(path.join(project, "data", "in.csv"), project, limits))).toBe(
      "a,b\n1,2\n",
    );
    const parts: string[] = [];
    for await (const c of readFileChunks(path.join(project, "data", "good.csv"), project, limits, { start: 4, end: 7 }))
      parts.push(new TextDecoder().decode(c));
    expect(parts.join("")).toBe("1,2");
  });

  it("never opens a link out of the folder, a loop, a FIFO or a device, and does not wait on one", async () => {
    const read = (name: string) => () => readWholeFile(path.join(project, "data", name), project, limits);
    expect(await refusalOf(read("out.csv"))).toBe("link-outside");
    expect(await refusalOf(read("loop.csv"))).toBe("link-loop");
    expect(await refusalOf(read("pipe.csv"))).toBe("special");
    expect(await refusalOf(read("folder-link"))).toBe("folder");
    expect(await refusalOf(() => readWholeFile("/dev/zero", undefined, limits))).toBe("special");
  });

  it("refuses a FIFO or a link swapped in between the look and the open, from the descriptor", async () => {
    const swapped = path.join(project, "data", "swapped.csv");
    writeFileSync(swapped, "a\n");
    const looked = await inspectPath(swapped, project);
    unlinkSync(swapped);
    spawnSync("mkfifo", [swapped]);
    // Without O_NONBLOCK the open would wait for a writer, for ever: this one comes after 3 s, so
    // that such an open fails the test by the time it took rather than hanging it.
    const writer = spawn("sh", ["-c", 'sleep 3; : > "$0"', swapped], { stdio: "ignore" });
    const started = Date.now();
    try {
      expect(await refusalOf(() => openFound(swapped, looked, project, limits))).toBe("special");
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      writer.kill();
    }
    unlinkSync(swapped);
    symlinkSync(outside, swapped);
    expect(await refusalOf(() => openFound(swapped, looked, project, limits))).toBe("link-loop");
  });

  it("stops a read that brings nothing for the timeout, and one past the size bound", async () => {
    let closed = false;
    const stuck = {
      read: () => new Promise<{ bytesRead: number }>(() => {}),
      close: async () => {
        closed = true;
      },
    };
    const started = Date.now();
    const stalled = await refusalOf(async () => {
      for await (const _ of chunksOf("stuck.csv", stuck, 10, limits));
    });
    expect(stalled).toBe("stalled");
    expect(Date.now() - started).toBeLessThan(2000);
    // The read never came back, so its descriptor is left for it to close.
    expect(closed).toBe(false);

    const big = path.join(project, "data", "good.csv");
    expect(await refusalOf(() => readWholeFile(big, project, { ...limits, maxBytes: 4 }))).toBe("too-large");
    let offered = 0;
    const growing = {
      read: async (buffer: Buffer, offset: number, length: number) => {
        buffer.fill(65, offset, offset + length);
        offered += length;
        return { bytesRead: length };
      },
      close: async () => {},
    };
    const grew = await refusalOf(async () => {
      for await (const _ of chunksOf("growing.csv", growing, 0, { ...limits, maxBytes: 200_000 }));
    });
    expect(grew).toBe("too-large");
    expect(offered).toBeLessThan(400_000);
  });
});

describe("read limits", () => {
  it("reads sizes as people write them and refuses what is not one", () => {
    expect(parseSize("16GB")).toBe(16e9);
    expect(parseSize("500 mb")).toBe(5e8);
    expect(parseSize("1.5T")).toBe(1.5e12);
    expect(parseSize("1234")).toBe(1234);
    expect(parseSize("lots")).toBeNull();
    expect(parseSize("0")).toBeNull();
    expect(formatSize(16e9)).toBe("16 GB");
    expect(formatSize(2_500_000)).toBe("2.5 MB");
    expect(parseReadLimits({ "max-size": "2GB", "read-timeout": "5" })).toEqual({ maxBytes: 2e9, stallMs: 5000 });
    expect(parseReadLimits({})).toEqual(DEFAULT_READ_LIMITS);
    expect(parseReadLimits({ "max-size": "big" })).toHaveProperty("error");
    expect(parseReadLimits({ "read-timeout": "-1" })).toHaveProperty("error");
  });
});
