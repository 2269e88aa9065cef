import { describe, expect, it } from "vitest";
import type { Effects } from "../effects.ts";
import { type MemoryEffects, memoryEffects } from "../effects-memory.ts";
import { LOCK_FILE, lockOutputs, OutputLockedError } from "./output-lock.ts";
import { type BuildManifest, manifestJson, recoverOutputs, sha256Of, writeOutputs } from "./write-outputs.ts";

const OUT = "/p/out";

function outputs(tag: string) {
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
  return { site, reports, manifest };
}

/** What a reader of `out/` sees: each output file's sha256, by path in `out/`. */
function snapshot(effects: MemoryEffects): Record<string, string> {
  const seen: Record<string, string> = {};
  for (const [p, bytes] of [...effects.files].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (/^\/p\/out\/(site\/|partners\/|build\.json$)/.test(p)) seen[p.slice(OUT.length + 1)] = sha256Of(bytes);
  return seen;
}

async function written(tag: string): Promise<Record<string, string>> {
  const effects = memoryEffects();
  const { site, reports, manifest } = outputs(tag);
  await writeOutputs(OUT, site, reports, manifest, effects);
  return snapshot(effects);
}

class Crash extends Error {}

/** Effects that stop dead (as SIGKILL would) before their `at`-th write, rename or removal. */
function crashingAt(effects: MemoryEffects, at: number): Effects {
  let ops = 0;
  const step =
    <A extends unknown[]>(run: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      if (++ops >= at) throw new Crash(`stopped at step ${at}`);
      await run(...args);
    };
  return { ...effects, writeFile: step(effects.writeFile), rename: step(effects.rename), remove: step(effects.remove) };
}

describe("writeOutputs", () => {
  it("replaces site, partners and build.json, leaving nothing of the old build and no work folders", async () => {
    const effects = memoryEffects();
    const old = outputs("old");
    await writeOutputs(OUT, old.site, old.reports, old.manifest, effects);
    const next = outputs("new");
    await writeOutputs(OUT, next.site, next.reports, next.manifest, effects);
    expect(snapshot(effects)).toEqual(await written("new"));
    expect([...effects.files.keys()].filter((k) => k.includes(".c2c-"))).toEqual([]);
    expect(new TextDecoder().decode(effects.files.get(`${OUT}/build.json`))).toBe(manifestJson(next.manifest));
  });

  it("stopped at any step, leaves the old outputs or a complete new set, and the next build finishes the swap", async () => {
    const before = await written("old");
    const after = await written("new");
    let steps = 0;
    for (let at = 1; ; at++) {
      const effects = memoryEffects();
      const old = outputs("old");
      await writeOutputs(OUT, old.site, old.reports, old.manifest, effects);
      const next = outputs("new");
      const crashed = await writeOutputs(OUT, next.site, next.reports, next.manifest, crashingAt(effects, at)).then(
        () => false,
        (e: unknown) => {
          if (!(e instanceof Crash)) throw e;
          return true;
        },
      );
      const seen = snapshot(effects);
      // Each of site/, partners/ and build.json is wholly old, wholly new, or (between its two renames) absent
      // with the complete new one waiting in .c2c-ready.
      for (const part of ["site/", "partners/", "build.json"]) {
        const mine = (s: Record<string, string>) =>
          Object.fromEntries(Object.entries(s).filter(([p]) => p.startsWith(part)));
        const now = mine(seen);
        if (Object.keys(now).length === 0) {
          const waiting = Object.fromEntries(
            [...effects.files]
              .filter(([p]) => p.startsWith(`${OUT}/.c2c-ready/${part}`))
              .map(([p, b]) => [p.slice(`${OUT}/.c2c-ready/`.length), sha256Of(b)]),
          );
          expect(waiting, `step ${at}, ${part}`).toEqual(mine(after));
        } else expect([mine(before), mine(after)], `step ${at}, ${part}`).toContainEqual(now);
      }
      await recoverOutputs(OUT, effects);
      const recovered = snapshot(effects);
      expect([before, after], `step ${at}, recovered`).toContainEqual(recovered);
      // Once the new set was complete (renamed to .c2c-ready), recovery always lands on it.
      if (Object.keys(seen).length < Object.keys(before).length) expect(recovered).toEqual(after);
      expect([...effects.files.keys()].filter((k) => k.includes(".c2c-"))).toEqual([]);
      if (!crashed) break;
      steps++;
    }
    expect(steps).toBeGreaterThan(12);
  });

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
      protection: { published: [], hidden: new Map() } as unknown as Parameters<typeof makeManifest>[0]["protection"],
      options: { version: "1.0.0", buildDate: "2026-01-01" } as Parameters<typeof makeManifest>[0]["options"],
      reportingYear: 2025,
      site,
      partnerReports: reports,
    });
    expect(manifest.outputs).toEqual([
      { path: "partners/north/report.html", bytes: 1, sha256: sha256Of("h") },
      { path: "partners/north/report.json", bytes: 1, sha256: sha256Of("j") },
      { path: "site/a.csv", bytes: 3, sha256: sha256Of(new Uint8Array([1, 2, 3])) },
      { path: "site/b.html", bytes: 2, sha256: sha256Of("é") },
    ]);
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
