import { describe, expect, it } from "vitest";
import type { Effects } from "../effects.ts";
import { type MemoryEffects, memoryEffects } from "../effects-memory.ts";
import { OutputFolderError } from "./output-errors.ts";
import { interruptedOutputs, keptBuilds, PUBLIC_MANIFEST } from "./output-layout.ts";
import { LOCK_FILE, lockOutputs, OutputLockedError } from "./output-lock.ts";
import {
  type BuildManifest,
  type BuildOutputs,
  manifestJson,
  PRIVATE_README,
  privateOutputs,
  publicManifestJson,
  sha256Of,
  writeOutputs,
} from "./write-outputs.ts";

const OUT = "/p/out";

function outputs(tag: string, explain?: Map<string, string>): { outputs: BuildOutputs; manifest: BuildManifest } {
  const site = new Map<string, string>([
    ["index.html", `<h1>${tag}</h1>`],
    ["data/observations.csv", `indicator,value\nreading,${tag.length}\n`],
    [`only-in-${tag}.html`, tag],
  ]);
  const reports = new Map([
    ["north", { html: `north ${tag}`, json: `{"tag":"${tag}"}` }],
    ["south", { html: `south ${tag}`, json: "{}" }],
  ]);
  const manifest = { buildDate: tag, outputs: [] } as unknown as BuildManifest;
  return { outputs: { site, private: privateOutputs(reports, explain) }, manifest };
}

/** What a reader of OUT sees through OUT/site and OUT/private: each file's sha256, by path in OUT. */
async function published(effects: Effects): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  for (const part of ["site", "private"]) {
    const dir = `${OUT}/${part}`;
    if (!(await effects.exists(dir))) continue;
    for (const p of await effects.listFiles(dir))
      seen[`${part}/${p}`] = sha256Of(await effects.readFile(`${dir}/${p}`));
  }
  return seen;
}

/** The part of a snapshot under `prefix`. */
const part = (seen: Record<string, string>, prefix: string) =>
  Object.fromEntries(Object.entries(seen).filter(([p]) => p.startsWith(prefix)));

async function written(tag: string, links: boolean): Promise<Record<string, string>> {
  const effects = memoryEffects({}, { links });
  const { outputs: o, manifest } = outputs(tag);
  await writeOutputs(OUT, o, manifest, effects);
  return published(effects);
}

class Crash extends Error {}

/** Effects that stop dead (as SIGKILL would) before their `at`-th write, rename, removal or link. */
function crashingAt(effects: MemoryEffects, at: number): Effects {
  let ops = 0;
  const step =
    <A extends unknown[]>(run: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      if (++ops >= at) throw new Crash(`stopped at step ${at}`);
      await run(...args);
    };
  return {
    ...effects,
    writeFile: step(effects.writeFile),
    rename: step(effects.rename),
    remove: step(effects.remove),
    symlink: step(effects.symlink),
  };
}

/** Runs `write` with the effects stopped at step `at`; true when it was stopped, false when it ran to the end. */
async function stoppedAt(effects: MemoryEffects, at: number, write: (e: Effects) => Promise<void>): Promise<boolean> {
  return write(crashingAt(effects, at)).then(
    () => false,
    (e: unknown) => {
      if (!(e instanceof Crash)) throw e;
      return true;
    },
  );
}

/** The files of an OUT that an earlier c2c wrote (site/, partners/, build.json, explain/), and a file of the user's. */
function earlierLayout(): Record<string, string> {
  return {
    [`${OUT}/site/index.html`]: "<h1>earlier</h1>",
    [`${OUT}/site/data/observations.csv`]: "indicator,value\n",
    [`${OUT}/partners/north/report.html`]: "north earlier",
    [`${OUT}/build.json`]: JSON.stringify({ c2c: { version: "0.0.1" }, configHash: "c", inputs: [], outputs: [] }),
    [`${OUT}/explain/8-hidden.csv`]: "key,reason\n",
    [`${OUT}/notes.txt`]: "the analyst's own notes",
  };
}

describe("writeOutputs, where the file system has links", () => {
  it("publishes site/ and private/ as links to the current build, keeping the one before it and no work folders", async () => {
    const effects = memoryEffects({}, { links: true });
    for (const tag of ["first", "second", "third"]) {
      const next = outputs(tag);
      await writeOutputs(OUT, next.outputs, next.manifest, effects);
    }
    expect(await published(effects)).toEqual(await written("third", true));
    expect(effects.links.get(`${OUT}/site`)).toBe(".c2c/current/site");
    expect(effects.links.get(`${OUT}/private`)).toBe(".c2c/current/private");
    expect(effects.links.get(`${OUT}/.c2c/current`)).toBe("builds/3");
    expect(await keptBuilds(OUT, effects)).toEqual([2, 3]);
    expect(await interruptedOutputs(OUT, effects)).toEqual([]);
    expect(new TextDecoder().decode(await effects.readFile(`${OUT}/private/build.json`))).toBe(
      manifestJson(outputs("third").manifest),
    );
    expect(new TextDecoder().decode(await effects.readFile(`${OUT}/private/README.txt`))).toBe(PRIVATE_README);
  });

  it("stopped at any step, shows the whole old build or the whole new one (site and reports together), and the next build recovers", async () => {
    const before = await written("old", true);
    const after = await written("new", true);
    expect(part(before, "site/")).not.toEqual(part(after, "site/"));
    let steps = 0;
    for (let at = 1; ; at++) {
      const effects = memoryEffects({}, { links: true });
      const old = outputs("old");
      await writeOutputs(OUT, old.outputs, old.manifest, effects);
      const next = outputs("new");
      const crashed = await stoppedAt(effects, at, (e) => writeOutputs(OUT, next.outputs, next.manifest, e));
      // Never missing, never a mix, and the partner reports are always those of the site beside them.
      expect([before, after], `step ${at}`).toContainEqual(await published(effects));
      await writeOutputs(OUT, next.outputs, next.manifest, effects);
      expect(await published(effects), `step ${at}, next build`).toEqual(after);
      expect(await interruptedOutputs(OUT, effects), `step ${at}`).toEqual([]);
      expect((await keptBuilds(OUT, effects)).length, `step ${at}`).toBe(2);
      if (!crashed) break;
      steps++;
    }
    expect(steps).toBeGreaterThan(12);
  });

  it("moves an earlier c2c's outputs aside (its --explain tables removed), leaving the user's files, even when stopped", async () => {
    const after = await written("new", true);
    let steps = 0;
    for (let at = 1; ; at++) {
      const effects = memoryEffects(earlierLayout(), { links: true });
      const next = outputs("new");
      const crashed = await stoppedAt(effects, at, (e) => writeOutputs(OUT, next.outputs, next.manifest, e));
      if (!crashed) {
        expect(effects.log.lines.join("\n")).toMatch(
          /moved the outputs of an earlier c2c in \/p\/out to the new layout/,
        );
        expect(effects.files.has(`${OUT}/.c2c/replaced/partners/north/report.html`)).toBe(true);
      }
      const seen = part(await published(effects), "site/");
      const earlierSite = {
        "site/index.html": sha256Of("<h1>earlier</h1>"),
        "site/data/observations.csv": sha256Of("indicator,value\n"),
      };
      // Once per OUT, between moving the earlier site/ folder aside and renaming its link in, there is no site.
      if (Object.keys(seen).length === 0)
        expect(effects.files.has(`${OUT}/.c2c/replaced/site/index.html`), `step ${at}`).toBe(true);
      else expect([earlierSite, part(after, "site/")], `step ${at}`).toContainEqual(seen);
      await writeOutputs(OUT, next.outputs, next.manifest, effects);
      expect(await published(effects), `step ${at}, next build`).toEqual(after);
      expect(new TextDecoder().decode(await effects.readFile(`${OUT}/notes.txt`))).toBe("the analyst's own notes");
      for (const gone of ["build.json", "partners", "explain"])
        expect(await effects.entryKind(`${OUT}/${gone}`), `step ${at}: ${gone}`).toBeNull();
      expect(
        [...effects.files.keys()].filter((k) => k.includes("/explain/")),
        `step ${at}`,
      ).toEqual([]);
      if (!crashed) break;
      steps++;
    }
    expect(steps).toBeGreaterThan(10);
    // The build after that one lets the earlier outputs go.
    const effects = memoryEffects(earlierLayout(), { links: true });
    for (const tag of ["new", "newer"]) {
      const next = outputs(tag);
      await writeOutputs(OUT, next.outputs, next.manifest, effects);
    }
    expect([...effects.files.keys()].filter((k) => k.includes("/.c2c/replaced/"))).toEqual([]);
  });

  it("keeps --explain tables only in the build that made them", async () => {
    const effects = memoryEffects({}, { links: true });
    const explained = outputs("explained", new Map([["8-hidden.csv", "key,reason\n"]]));
    await writeOutputs(OUT, explained.outputs, explained.manifest, effects);
    expect(await effects.exists(`${OUT}/private/explain/8-hidden.csv`)).toBe(true);
    const plain = outputs("plain");
    await writeOutputs(OUT, plain.outputs, plain.manifest, effects);
    expect(await effects.exists(`${OUT}/private/explain`)).toBe(false);
    // Not in the build kept for rollback either.
    expect([...effects.files.keys()].filter((k) => k.includes("/explain/"))).toEqual([]);
  });
});

describe("writeOutputs, where the file system has no links (Windows)", () => {
  it("replaces site/ and private/ as real folders, leaving nothing of the old build and no work folders", async () => {
    const effects = memoryEffects();
    const old = outputs("old");
    await writeOutputs(OUT, old.outputs, old.manifest, effects);
    expect(effects.log.lines.join("\n")).toContain("this file system cannot hold symbolic links");
    const next = outputs("new");
    await writeOutputs(OUT, next.outputs, next.manifest, effects);
    expect(await published(effects)).toEqual(await written("new", false));
    expect(effects.links.size).toBe(0);
    expect([...effects.files.keys()].filter((k) => !/^\/p\/out\/(site|private)\//.test(k))).toEqual([]);
    expect(await interruptedOutputs(OUT, effects)).toEqual([]);
  });

  it("stopped at any step, leaves each folder whole (old or new) or, between its two renames, absent with the new one ready; the next build finishes", async () => {
    const before = await written("old", false);
    const after = await written("new", false);
    let steps = 0;
    for (let at = 1; ; at++) {
      const effects = memoryEffects();
      const old = outputs("old");
      await writeOutputs(OUT, old.outputs, old.manifest, effects);
      const next = outputs("new");
      const crashed = await stoppedAt(effects, at, (e) => writeOutputs(OUT, next.outputs, next.manifest, e));
      const seen = await published(effects);
      for (const prefix of ["site/", "private/"]) {
        const now = part(seen, prefix);
        if (Object.keys(now).length === 0) {
          const waiting = Object.fromEntries(
            [...effects.files]
              .filter(([p]) => p.startsWith(`${OUT}/.c2c/ready/${prefix}`))
              .map(([p, b]) => [p.slice(`${OUT}/.c2c/ready/`.length), sha256Of(b)]),
          );
          expect(waiting, `step ${at}, ${prefix}`).toEqual(part(after, prefix));
        } else expect([part(before, prefix), part(after, prefix)], `step ${at}, ${prefix}`).toContainEqual(now);
      }
      await writeOutputs(OUT, next.outputs, next.manifest, effects);
      expect(await published(effects), `step ${at}, next build`).toEqual(after);
      expect(await interruptedOutputs(OUT, effects), `step ${at}`).toEqual([]);
      if (!crashed) break;
      steps++;
    }
    expect(steps).toBeGreaterThan(12);
  });
});

describe("writeOutputs on a full disk", () => {
  for (const links of [true, false])
    it(`stops with out-disk-full, removes what it began and leaves the old site published (${links ? "links" : "real folders"})`, async () => {
      for (const after of [1, 3, 8]) {
        const effects = memoryEffects({}, { links });
        const old = outputs("old");
        await writeOutputs(OUT, old.outputs, old.manifest, effects);
        const before = await published(effects);
        let writes = 0;
        const full: Effects = {
          ...effects,
          writeFile: async (p, d) => {
            if (++writes > after)
              throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: "ENOSPC" });
            await effects.writeFile(p, d);
          },
        };
        const next = outputs("new");
        const e = await writeOutputs(OUT, next.outputs, next.manifest, full).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(OutputFolderError);
        expect((e as OutputFolderError).code).toBe("out-disk-full");
        expect((e as OutputFolderError).format()).toMatch(/^--out \/p\/out: the disk is full: .*\[out-disk-full\]$/);
        expect(await published(effects)).toEqual(before);
        expect(await interruptedOutputs(OUT, effects)).toEqual([]);
      }
    });
});

describe("the manifests", () => {
  it("records every output file with its size and sha256, in code-point order", async () => {
    const { makeManifest } = await import("./write-outputs.ts");
    const site = new Map<string, string | Uint8Array>([
      ["b.html", "é"],
      ["a.csv", new Uint8Array([1, 2, 3])],
    ]);
    const reports = new Map([["north", { html: "h", json: "j" }]]);
    const manifest = makeManifest({
      project: {
        config: { partnership: { name: "P" } },
        configHash: "c",
      } as unknown as Parameters<typeof makeManifest>[0]["project"],
      files: [],
      discovery: { files: [], issues: [], skipped: [] },
      protection: {
        published: [],
        hidden: new Map(),
        relations: [],
        audit: { cells: 0, counts: 0, rounds: 1, hiddenByAudit: 0, narrowest: null, contradicted: [] },
      } satisfies Parameters<typeof makeManifest>[0]["protection"],
      stamp: { version: "1.0.0", buildDate: "2026-01-01" },
      reportingYear: 2025,
      outputs: { site, private: privateOutputs(reports) },
    });
    expect(manifest.outputs).toEqual([
      { path: "private/README.txt", bytes: Buffer.byteLength(PRIVATE_README), sha256: sha256Of(PRIVATE_README) },
      { path: "private/partners/north/report.html", bytes: 1, sha256: sha256Of("h") },
      { path: "private/partners/north/report.json", bytes: 1, sha256: sha256Of("j") },
      { path: "site/a.csv", bytes: 3, sha256: sha256Of(new Uint8Array([1, 2, 3])) },
      { path: "site/b.html", bytes: 2, sha256: sha256Of("é") },
    ]);
  });

  it("puts in the site a public manifest of the site's files, with no input checksums", () => {
    const site = new Map<string, string | Uint8Array>([
      ["b.html", "é"],
      ["a.csv", new Uint8Array([1, 2, 3])],
      [PUBLIC_MANIFEST, "an older one, not listed"],
    ]);
    const about = {
      c2c: { version: "1.0.0" },
      buildDate: "2026-01-01",
      partnership: "P",
      configHash: "c",
      reportingYear: 2025,
    };
    const manifest = JSON.parse(publicManifestJson(site, about));
    expect(manifest).toEqual({
      ...about,
      outputs: [
        { path: "a.csv", bytes: 3, sha256: sha256Of(new Uint8Array([1, 2, 3])) },
        { path: "b.html", bytes: 2, sha256: sha256Of("é") },
      ],
    });
    expect(Object.keys(manifest)).not.toContain("inputs");
  });
});

describe("lockOutputs", () => {
  it("lets one build at a time write a folder, naming the holder's PID and start time to the second", async () => {
    const effects = memoryEffects({}, { running: [1] });
    const release = await lockOutputs(OUT, effects);
    const second = await lockOutputs(OUT, effects).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(OutputLockedError);
    const message = (second as Error).message;
    expect(message).toContain(`${OUT}/${LOCK_FILE}`);
    expect(message).toContain("PID 1 on memory, started 1970-01-01T00:00:00.000Z");
    await release();
    expect(effects.files.has(`${OUT}/${LOCK_FILE}`)).toBe(false);
    await (await lockOutputs(OUT, effects))();
  });

  it("takes over a lock whose build is no longer running, with a note", async () => {
    const stale = JSON.stringify({ pid: 4242, host: "memory", started: "2025-01-01T00:00:00.000Z" });
    const effects = memoryEffects({ [`${OUT}/${LOCK_FILE}`]: stale }, { running: [1] });
    const release = await lockOutputs(OUT, effects);
    expect(effects.log.lines.join("\n")).toMatch(/took over the lock .*PID 4242, started 2025-01-01/);
    expect(new TextDecoder().decode(effects.files.get(`${OUT}/${LOCK_FILE}`))).toContain('"pid":1');
    await release();
  });

  it("does not take over a lock from another machine, or one it cannot read", async () => {
    for (const content of [JSON.stringify({ pid: 4242, host: "elsewhere", started: "x" }), "garbage"]) {
      const effects = memoryEffects({ [`${OUT}/${LOCK_FILE}`]: content }, { running: [1] });
      await expect(lockOutputs(OUT, effects)).rejects.toBeInstanceOf(OutputLockedError);
    }
  });
});
