import { beforeAll, describe, expect, it } from "vitest";
import { ConfigSchema, PartnerExtractSchema, PartnerSchema } from "../../schemas/index.ts";
import type { Effects } from "../effects.ts";
import { memoryEffects } from "../effects-memory.ts";
import { loadProject, type Project } from "../load/load-project.ts";
import { processPartnerFile } from "../per-file/process-partner-file.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";

/**
 * Files that would cost the build unbounded memory or time: each streams from a generator (nothing
 * this size is written to disk). A bad row costs that row, a file of them stops with one clear
 * issue, and memory stays flat. Memory is measured loosely (resident size sampled while reading);
 * there are no timing assertions.
 */

const MB = 1024 * 1024;
const HEADER = "school_year,district_id,school_id,measure,student_group_type,student_group,total_count,met_count\n";
const PATH = "data/2025/valley-usd/outcome-counts-2025.csv";
let project: Project;
const base = memoryEffects({}, { readDisk: true });

beforeAll(async () => {
  const config = ConfigSchema.parse({
    partnership: { name: "Bounded", introduction: "Big files." },
    community: { id: "valley", name: "Valley" },
    districts: [{ id: "north", name: "North", codes: ["0601"] }],
  });
  const partner = PartnerSchema.parse({
    id: "valley-usd",
    name: "Valley Unified",
    kind: "school-district",
    extracts: [{ schema: "outcome-counts", files: "*" }],
  });
  project = await loadProject("/work", REPO_ROOT, base, { config, partners: [partner] });
});

/** A stream of `total` bytes: the header, then `block` repeated (cut to fit); counts what was read. */
function streamOf(block: Uint8Array, total: number) {
  const read = { bytes: 0, passes: 0 };
  const effects: Effects = {
    ...base,
    async *readStream() {
      read.passes++;
      const head = new TextEncoder().encode(HEADER);
      read.bytes += head.length;
      yield head;
      for (let sent = 0; sent < total; sent += block.length) {
        const chunk = block.subarray(0, Math.min(block.length, total - sent));
        read.bytes += chunk.length;
        yield chunk;
      }
    },
  };
  return { effects, read };
}

/** A 1 MiB block from `byte(i)`, with a fixed seed so every run sees the same garbage. */
function block(byte: (i: number, random: number) => number): Uint8Array {
  const out = new Uint8Array(MB);
  let seed = 12345;
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out[i] = byte(i, seed >>> 16);
  }
  return out;
}

async function processBounded(effects: Effects) {
  const start = process.memoryUsage().rss;
  let peak = start;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const { result } = await processPartnerFile(
      {
        path: PATH,
        partner: "valley-usd",
        year: 2025,
        extract: PartnerExtractSchema.parse({ schema: "outcome-counts", files: "*" }),
      },
      project,
      effects,
    );
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMB: (peak - start) / MB, codes: result.issues.map((i) => [i.line, i.code]) };
  } finally {
    clearInterval(sample);
  }
}

describe("bounded reading", () => {
  it("one enormous line (50 MB without a line break) costs that row alone, without being held", async () => {
    const good = new TextEncoder().encode("2025,0601,014,Grade 3 Reading,All Students,All Students,142,61\n");
    const effects: Effects = {
      ...base,
      async *readStream() {
        yield new TextEncoder().encode(HEADER);
        const a = block(() => 0x61);
        for (let sent = 0; sent < 50; sent++) yield a;
        yield new Uint8Array([0x0a]);
        yield good;
      },
    };
    const { result, growthMB, codes } = await processBounded(effects);
    expect(codes).toEqual([[2, "row-too-long"]]);
    expect(result.issues[0]?.message).toContain("more than 1 MB without a line break, so it was skipped");
    expect([result.rowsRead, result.rowsAccepted, result.rowsRejected]).toEqual([2, 1, 1]);
    expect(result.bytes).toBeGreaterThan(50 * MB);
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(growthMB).toBeLessThan(300);
  }, 60_000);

  it("a quote that never closes costs its row; the 10 MB of rows after it are read", async () => {
    const line = new TextEncoder().encode("2025,0601,014,Grade 3 Reading,All Students,All Students,142,61\n");
    const rows = new Uint8Array(Math.floor(MB / line.length) * line.length);
    for (let i = 0; i < rows.length; i += line.length) rows.set(line, i);
    const effects: Effects = {
      ...base,
      async *readStream() {
        yield new TextEncoder().encode(
          `${HEADER}2025,0601,"never closed,Grade 3 Reading,All Students,All Students,1,1\n`,
        );
        for (let sent = 0; sent < 10; sent++) yield rows;
      },
    };
    const { result, growthMB, codes } = await processBounded(effects);
    expect(codes.filter(([, c]) => c !== "duplicate-row")).toEqual([[2, "parse-error"]]);
    expect(result.issues[0]?.message).toMatch(/opens a value on this line that does not close within 1 MB/);
    expect(result.rowsRead).toBe(1 + (10 * rows.length) / line.length);
    // Every row after the bad one is read: the first is counted, the rest repeat it.
    expect(result.rowsAccepted).toBe(1);
    expect(growthMB).toBeLessThan(300);
  }, 60_000);

  it("50 MB of lines that each open a quote the next one closes stops after the first thousand broken rows", async () => {
    const rows = block((i) => (i % 64 === 63 ? 0x0a : i % 64 === 0 ? 0x22 : 0x62));
    const { effects } = streamOf(
      new Uint8Array([...new TextEncoder().encode('2025,0601,014,"never closed,'), ...rows.subarray(0, MB - 29)]),
      50 * MB,
    );
    const { result, growthMB, codes } = await processBounded(effects);
    expect(codes[0]).toEqual([2, "parse-error"]);
    expect(codes.at(-1)?.[1]).toBe("too-many-errors");
    expect(result.rowsAccepted).toBe(0);
    expect(result.issues.length).toBeLessThan(2000);
    expect(growthMB).toBeLessThan(300);
  }, 60_000);

  it("200 MB of printable garbage with line breaks stops after the first thousand broken rows", async () => {
    const garbage = block((_, r) => (r % 41 === 0 ? 0x0a : 0x20 + (r % 95)));
    const { effects, read } = streamOf(garbage, 200 * MB);
    const { result, growthMB } = await processBounded(effects);
    // Each broken row costs itself (a quote that never closes, cells that do not line up), and the thousandth stops the file.
    expect(result.issues.filter((i) => i.code === "too-many-errors")).toHaveLength(1);
    expect(result.issues.at(-1)?.code).toBe("too-many-errors");
    expect(result.rowsAccepted).toBe(0);
    expect(result.issues.length).toBeLessThan(2000);
    expect(read.bytes).toBeGreaterThan(200 * MB); // the hashing pass
    expect(growthMB).toBeLessThan(300);
  }, 120_000);

  it("200 MB of binary garbage after a valid header fails without reading it all into memory", async () => {
    const garbage = block((_, r) => 1 + (r % 255));
    const { effects } = streamOf(garbage, 200 * MB);
    const { result, growthMB } = await processBounded(effects);
    expect(result.issues.some((i) => i.severity === "error")).toBe(true);
    expect(result.rowsAccepted).toBe(0);
    expect(result.issues.length).toBeLessThan(2000);
    expect(growthMB).toBeLessThan(300);
  }, 120_000);

  it("200 MB of well-formed rows that all fail the checks stops after 10,000 rows", async () => {
    const line = new TextEncoder().encode("2025,9999,014,Grade 3 Reading,All Students,All Students,ten,five\n");
    const rows = new Uint8Array(Math.floor(MB / line.length) * line.length);
    for (let i = 0; i < rows.length; i += line.length) rows.set(line, i);
    const { effects } = streamOf(rows, 200 * MB);
    const { result, growthMB } = await processBounded(effects);
    const stop = result.issues.find((i) => i.code === "too-many-errors");
    expect(stop?.message).toMatch(/^\d[\d,]* of the first \d[\d,]* rows could not be used \(none of them passed/);
    expect(result.rowsRead).toBeLessThan(100_000);
    expect(result.rowsAccepted).toBe(0);
    expect(growthMB).toBeLessThan(300);
  }, 120_000);
});
