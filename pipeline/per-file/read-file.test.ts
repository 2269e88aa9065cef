import { beforeAll, describe, expect, it } from "vitest";
import { ConfigSchema, type PartnerExtract, PartnerExtractSchema, PartnerSchema } from "../../schemas/index.ts";
import type { Effects } from "../effects.ts";
import { memoryEffects } from "../effects-memory.ts";
import { loadProject, type Project } from "../load/load-project.ts";
import { loadFixtureProject, REPO_ROOT } from "../test-support/load-fixture.ts";
import { processPartnerFile } from "./process-partner-file.ts";

/**
 * Mapped files go through the one reader: a row that runs on without a line break costs a mapped
 * agency file that row alone, with the issue an unmapped file gets, and is never held in memory.
 */

const MB = 1024 * 1024;
let mapped: { project: Project; extract: PartnerExtract };
let unmapped: { project: Project; extract: PartnerExtract };

beforeAll(async () => {
  const real = loadFixtureProject("real-community");
  const project = await loadProject("/project", REPO_ROOT, real);
  const extract = project.partners.find((p) => p.id === "nyc-doe")?.extracts[0] as PartnerExtract;
  mapped = { project, extract };
  const base = memoryEffects({}, { readDisk: true });
  const config = ConfigSchema.parse({
    partnership: { name: "Long rows", introduction: "A long row." },
    community: { id: "valley", name: "Valley" },
    districts: [{ id: "north", name: "North", codes: ["0601"] }],
  });
  const partner = PartnerSchema.parse({
    id: "nyc-doe",
    name: "Valley Unified",
    kind: "school-district",
    extracts: [{ schema: "outcome-counts", files: "*" }],
  });
  unmapped = {
    project: await loadProject("/work", REPO_ROOT, base, { config, partners: [partner] }),
    extract: PartnerExtractSchema.parse({ schema: "outcome-counts", files: "*" }),
  };
});

/** A file of a header, a good row, a 50 MB line without a break, and a good row, streamed (never held). */
function longRowEffects(header: string, [first, last]: readonly [string, string]): Effects {
  const text = new TextEncoder();
  const a = new Uint8Array(MB).fill(0x61);
  return {
    ...memoryEffects({}, { readDisk: true }),
    async *readStream() {
      yield text.encode(`${header}\n${first}\n`);
      for (let sent = 0; sent < 50; sent++) yield a;
      yield text.encode(`\n${last}\n`);
    },
  };
}

async function readLongRow(
  at: { project: Project; extract: PartnerExtract },
  header: string,
  rows: readonly [string, string],
): Promise<{ issues: [number | null, string, string][]; accepted: number; growthMB: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const { result } = await processPartnerFile(
      { path: "data/2010/nyc-doe/graduation.csv", partner: "nyc-doe", year: 2010, extract: at.extract },
      at.project,
      longRowEffects(header, rows),
    );
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      issues: result.issues.filter((i) => i.severity === "error").map((i) => [i.line, i.code, i.message]),
      accepted: result.rowsAccepted,
      growthMB: (peak - start) / MB,
    };
  } finally {
    clearInterval(sample);
  }
}

describe("a mapped file is read by the one reader", () => {
  it("an over-long row costs that row alone, with the issue an unmapped file gets, in bounded memory", async () => {
    const agency = await readLongRow(mapped, "Demographic,DBN,School Name,Cohort,Total Cohort,Total Grads - n", [
      "Total Cohort,26Q415,BENJAMIN N. CARDOZO HIGH SCHOOL,2005,942,737",
      "Total Cohort,26Q415,BENJAMIN N. CARDOZO HIGH SCHOOL,2004,900,700",
    ]);
    const own = await readLongRow(
      unmapped,
      "school_year,district_id,school_id,measure,student_group_type,student_group,total_count,met_count",
      [
        "2010,0601,014,Grade 3 Reading,All Students,All Students,142,61",
        "2010,0601,015,Grade 3 Reading,All Students,All Students,90,40",
      ],
    );
    expect(agency.issues).toEqual([[3, "row-too-long", expect.stringContaining("more than 1 MB")]]);
    expect(agency.issues).toEqual(own.issues);
    // Both good rows of each file are used.
    expect(agency.accepted).toBe(2);
    expect(own.accepted).toBe(2);
    expect(agency.growthMB).toBeLessThan(300);
  }, 60_000);
});
