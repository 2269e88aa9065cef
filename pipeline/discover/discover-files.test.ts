import { describe, expect, it } from "vitest";
import { ConfigSchema, PartnerSchema } from "../../schemas/index.ts";
import { memoryEffects } from "../effects-memory.ts";
import { loadProject } from "../load/load-project.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { discoverFiles, type RefusedEntry } from "./discover-files.ts";

async function project(versions: "replace" | "combine" = "replace") {
  const config = ConfigSchema.parse({
    partnership: { name: "P", introduction: "I" },
    community: { id: "town", name: "Town" },
    districts: [{ id: "north", name: "North", codes: ["01"] }],
  });
  const partners = [
    PartnerSchema.parse({
      id: "north-sd",
      name: "North",
      kind: "school-district",
      extracts: [{ schema: "outcome-counts", files: "outcomes*.csv", versions }],
    }),
  ];
  return loadProject("/project", REPO_ROOT, memoryEffects({}, { readDisk: true }), { config, partners });
}

const paths = [
  "2025/north-sd/outcomes-2025.csv",
  "2025/north-sd/outcomes-2025-corrected.csv",
  "2025/north-sd/notes.docx",
];

describe("discoverFiles", () => {
  it("matches files to partners and extracts, and reports what it cannot place", async () => {
    const d = discoverFiles([...paths, "2025/unknown/x.csv", "loose.csv"], await project("combine"));
    expect(d.files.map((f) => f.path)).toEqual([
      "data/2025/north-sd/outcomes-2025-corrected.csv",
      "data/2025/north-sd/outcomes-2025.csv",
    ]);
    expect(d.issues.map((i) => [i.file, i.code])).toEqual([
      ["data/2025/north-sd/notes.docx", "unmatched-file"],
      ["data/2025/unknown/x.csv", "unknown-partner"],
      ["data/loose.csv", "unknown-partner"],
    ]);
  });

  it("reads only the later of a partner's files of one extract and year, by the version in the names, and says which it replaced", async () => {
    const named = ["2025/north-sd/outcomes-2025-v2.csv", "2025/north-sd/outcomes-2025.csv"];
    const d = discoverFiles(named, await project());
    expect(d.files.map((f) => f.path)).toEqual(["data/2025/north-sd/outcomes-2025-v2.csv"]);
    const replaced = d.issues.find((i) => i.code === "superseded-file");
    expect(replaced?.file).toBe("data/2025/north-sd/outcomes-2025.csv");
    expect(replaced?.message).toContain("`data/2025/north-sd/outcomes-2025-v2.csv`");
    expect(d.skipped.map((s) => s.path)).toContain("data/2025/north-sd/outcomes-2025.csv");
  });

  it("reads neither of two files whose names do not say which is later, and says so in the partner's report", async () => {
    const d = discoverFiles(paths, await project());
    expect(d.files).toEqual([]);
    const undecided = d.issues.filter((i) => i.code === "versions-undecided");
    expect(undecided.map((i) => [i.file, i.severity, i.partner])).toEqual([
      ["data/2025/north-sd/outcomes-2025-corrected.csv", "error", "north-sd"],
      ["data/2025/north-sd/outcomes-2025.csv", "error", "north-sd"],
    ]);
    expect(undecided[1]?.message).toContain("`data/2025/north-sd/outcomes-2025-corrected.csv`");
    expect(d.skipped.map((s) => s.path)).toEqual(
      expect.arrayContaining([
        "data/2025/north-sd/outcomes-2025.csv",
        "data/2025/north-sd/outcomes-2025-corrected.csv",
      ]),
    );
  });

  it("turns what it will not open into issues in the report of the partner whose folder it is in", async () => {
    const refused: RefusedEntry[] = [
      { path: "2025/north-sd/outcomes-link.csv", refusal: { kind: "link-outside", target: "/etc/passwd" } },
      { path: "2025/north-sd/outcomes-pipe.csv", refusal: { kind: "special", type: "fifo", link: false } },
      { path: "2025/north-sd/outcomes-loop.csv", refusal: { kind: "link-loop" } },
      { path: "2025/north-sd/outcomes-big.csv", refusal: { kind: "too-large", size: 2e10, limit: 16e9, grew: false } },
      { path: "2024/north-sd", refusal: { kind: "unlisted" } },
      { path: "2023", refusal: { kind: "unlisted" } },
      { path: "2025/north-sd/.hidden-pipe", refusal: { kind: "special", type: "fifo", link: false } },
    ];
    const d = discoverFiles(["2025/north-sd/outcomes-2025.csv"], await project(), refused);
    expect(d.files.map((f) => f.path)).toEqual(["data/2025/north-sd/outcomes-2025.csv"]);
    expect(d.issues.map((i) => [i.file, i.partner, i.code, i.severity])).toEqual([
      ["data/2025/north-sd/outcomes-link.csv", "north-sd", "link-outside-project", "error"],
      ["data/2025/north-sd/outcomes-pipe.csv", "north-sd", "special-file", "error"],
      ["data/2025/north-sd/outcomes-loop.csv", "north-sd", "link-loop", "error"],
      ["data/2025/north-sd/outcomes-big.csv", "north-sd", "file-too-large", "error"],
      ["data/2024/north-sd", "north-sd", "permission-denied", "error"],
      ["data/2023", null, "permission-denied", "error"],
    ]);
    expect(d.issues[3]?.message).toBe(
      "The file is 20 GB, more than the 16 GB c2c reads of one file, so it was not read.",
    );
    expect(d.issues[3]?.fix).toContain("--max-size 21GB");
    expect(d.skipped).toContainEqual({ path: "data/2024/north-sd", partner: "north-sd" });
  });
});
