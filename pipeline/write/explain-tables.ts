import { writeCsv } from "../csv/write-csv.ts";
import type { Discovery } from "../discover/discover-files.ts";
import type { FileResult } from "../file-result.ts";
import type { Project } from "../load/load-project.ts";
import type { Observation } from "../observation.ts";
import type { ProtectionResult } from "../protect/protect-cells.ts";
import { observationsCsv } from "../render/site/downloads.ts";

/**
 * `c2c build --explain`: each stage's table as CSV or JSON, by file name, for an analyst to
 * inspect. Private: nothing in them is suppressed. They are written into the build's own
 * `private/explain/`, so a build without `--explain` shows none, never an earlier build's.
 */
export function explainTables(stages: {
  project: Project;
  discovery: Discovery;
  files: FileResult[];
  observations: Observation[];
  protection: ProtectionResult;
}): Map<string, string> {
  const { project, discovery, files, observations, protection } = stages;
  const tables: [string, string][] = [
    [
      "1-project.json",
      JSON.stringify(
        { config: project.config, partners: project.partners, indicators: project.indicators.map((i) => i.id) },
        null,
        2,
      ),
    ],
    ["2-discovery.json", JSON.stringify(discovery, null, 2)],
    ["3-5-files.json", JSON.stringify(files, null, 2)],
    ["6-7-observations.csv", observationsCsv(observations)],
    ["8-published.csv", observationsCsv(protection.published)],
    ["8-hidden.csv", writeCsv(["key", "reason"], [...protection.hidden.entries()])],
  ];
  return new Map(tables.map(([name, content]) => [name, `${content.trimEnd()}\n`]));
}
