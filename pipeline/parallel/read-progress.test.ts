import { describe, expect, it } from "vitest";
import {
  BENCH_CONFIG_YAML,
  BENCH_HEADER,
  BENCH_PARTNERS_YAML,
  benchLines,
} from "../../scripts/bench/generate-records.ts";
import type { PartnerFile } from "../discover/discover-files.ts";
import { discoverFiles, listDataFiles } from "../discover/discover-files.ts";
import { withReadProgress } from "../effects.ts";
import { memoryEffects } from "../effects-memory.ts";
import { loadProject, type Project } from "../load/load-project.ts";
import { processPartnerFile } from "../per-file/process-partner-file.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { localParts, processFileInParts } from "./process-files.ts";

/**
 * The progress bar of a file whose repeated rows are read a second time (a large file keeps its
 * keys on disk and finds repeats after reading) must say so, not start the file's bar over: the
 * first reading only ever moves forward, and the second is told apart (`again`).
 */
const ROWS = 6000;

async function setUp(): Promise<{ project: Project; file: PartnerFile; effects: ReturnType<typeof memoryEffects> }> {
  const lines = [...benchLines(ROWS, 5)];
  // Row 200 sent again near the end of the file: found only once every key is read.
  lines.splice(ROWS - 10, 0, lines[200] as string);
  const effects = memoryEffects(
    {
      "/project/c2c.config.yaml": BENCH_CONFIG_YAML,
      "/project/partners.yaml": BENCH_PARTNERS_YAML,
      "/project/data/2025/district/assessment-2025.csv": `${[BENCH_HEADER, ...lines].join("\n")}\n`,
    },
    { readDisk: true },
  );
  const project = await loadProject("/project", REPO_ROOT, effects);
  const [file] = discoverFiles(await listDataFiles("/project", effects), project).files;
  if (!file) throw new Error("the file was not discovered");
  return { project, file, effects };
}

/** The first reading moves forward to the file's end, then the second one is told apart. */
function expectForwardThenAgain(events: { read: number; again: boolean }[], size: number): void {
  const first = events.filter((e) => !e.again).map((e) => e.read);
  expect(first.length).toBeGreaterThan(1);
  for (let i = 1; i < first.length; i++) expect(first[i]).toBeGreaterThanOrEqual(first[i - 1] as number);
  expect(first.at(-1)).toBeGreaterThan(size * 0.95);
  expect(events.some((e) => e.again)).toBe(true);
}

describe("progress while a file is read a second time", () => {
  it("one thread: the first reading is not started over", async () => {
    const { project, file, effects } = await setUp();
    const size = (await effects.stat(`/project/${file.path}`)).size;
    const events: { read: number; again: boolean }[] = [];
    const watched = withReadProgress(effects, (read, _total, again) => events.push({ read, again }));
    const processed = await processPartnerFile(file, project, watched, { spillMinBytes: 0 });
    expect(processed.result.issues.filter((i) => i.code === "duplicate-row")).toHaveLength(1);
    expectForwardThenAgain(events, size);
    // Once the second reading starts, the first is over.
    expect(events.slice(events.findIndex((e) => e.again)).every((e) => e.again)).toBe(true);

    // Keys in memory: repeats are found as rows stream, and the file is read once.
    const once: boolean[] = [];
    await processPartnerFile(
      file,
      project,
      withReadProgress(effects, (_r, _t, again) => once.push(again)),
    );
    expect(once.length).toBeGreaterThan(1);
    expect(once.every((again) => !again)).toBe(true);
  });

  it("in parts: each part's second reading has its own bar", async () => {
    const { project, file, effects } = await setUp();
    const size = (await effects.stat(`/project/${file.path}`)).size;
    const events: { read: number; again: boolean }[] = [];
    const processed = await processFileInParts(file, project, localParts(2, project, effects), effects, {
      spillMinBytes: 0,
      onProgress: (_path, read, _total, again) => events.push({ read, again }),
    });
    expect(processed?.result.issues.filter((i) => i.code === "duplicate-row")).toHaveLength(1);
    expectForwardThenAgain(events, size);
  });
});
