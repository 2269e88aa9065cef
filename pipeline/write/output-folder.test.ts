import { describe, expect, it } from "vitest";
import { memoryEffects } from "../effects-memory.ts";
import { OutputFolderError } from "./output-errors.ts";
import { checkOutFolder, claimOutFolder, MARKER_TEXT } from "./output-folder.ts";

const PROJECT = "/work/p";
const manifest = JSON.stringify({ c2c: { version: "0.1.0" }, configHash: "c", inputs: [], outputs: [] });

/** The code `checkOutFolder` refuses `out` with, or the state it takes it in. */
async function verdict(out: string, files: Record<string, string> = {}, links: Record<string, string> = {}) {
  const effects = memoryEffects(
    { [`${PROJECT}/c2c.config.yaml`]: "x", [`${PROJECT}/data/2025/a/f.csv`]: "x", ...files },
    { links: true, home: "/home/ana" },
  );
  await effects.makeFolder("/home/ana");
  for (const [at, target] of Object.entries(links)) await effects.symlink(target, at);
  return checkOutFolder(out, PROJECT, effects).then(
    (c) => c.state,
    (e: unknown) => (e instanceof OutputFolderError ? e.code : Promise.reject(e)),
  );
}

describe("checkOutFolder", () => {
  it("takes a new folder, an empty one, c2c's own and an earlier c2c's", async () => {
    expect(await verdict("/work/out")).toBe("new");
    expect(await verdict("/work/out", { "/work/out/.DS_Store": "" })).toBe("empty");
    expect(await verdict("/work/out", { "/work/out/.c2c/made-by-c2c": MARKER_TEXT, "/work/out/x": "" })).toBe("c2c");
    expect(await verdict("/work/out", { "/work/out/private/build.json": manifest })).toBe("c2c");
    expect(await verdict("/work/out", { "/work/out/build.json": manifest, "/work/out/site/index.html": "" })).toBe(
      "earlier-c2c",
    );
    expect(await verdict("/work/out", { "/work/out/.c2c-lock": "{}" })).toBe("earlier-c2c");
  });

  it("refuses another's folder, a file, and the places c2c must never write, links resolved", async () => {
    expect(await verdict("/work/out", { "/work/out/build.json": '{"mine":true}' })).toBe("out-not-c2c");
    expect(await verdict("/work/out", { "/work/out/.c2c/other": "" })).toBe("out-not-c2c");
    expect(await verdict("/work/out", { "/work/out": "a file" })).toBe("out-is-file");
    expect(await verdict("/")).toBe("out-is-root");
    expect(await verdict("/home/ana")).toBe("out-is-home");
    expect(await verdict("/home")).toBe("out-holds-home");
    expect(await verdict(PROJECT)).toBe("out-is-project");
    expect(await verdict("/work")).toBe("out-holds-project");
    expect(await verdict(`${PROJECT}/data/2026/new`)).toBe("out-in-data");
    expect(await verdict("/work/to-data/x", {}, { "/work/to-data": `${PROJECT}/data` })).toBe("out-in-data");
    expect(await verdict("/work/me", {}, { "/work/me": "/home/ana" })).toBe("out-is-home");
  });

  it("makes a new folder and marks it; marks an empty one", async () => {
    const effects = memoryEffects({}, { links: true });
    const checked = await checkOutFolder("/work/out", PROJECT, effects);
    await claimOutFolder(checked, "/work/out", effects);
    expect(new TextDecoder().decode(effects.files.get("/work/out/.c2c/made-by-c2c"))).toBe(MARKER_TEXT);
    expect((await checkOutFolder("/work/out", PROJECT, effects)).state).toBe("c2c");
  });
});
