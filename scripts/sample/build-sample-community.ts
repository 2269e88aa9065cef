import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { writeCsv } from "../../pipeline/csv/write-csv.ts";
import { writeBirthOutcomes } from "./birth-outcomes.ts";
import { BOUNDARIES_GEOJSON } from "./boundaries.ts";
import { CEDAR_HILLS, RIVERSIDE } from "./district-plans.ts";
import { simulateDistrictYear } from "./district-year.ts";
import { OUTCOME_COUNT_HEADER, outcomeCountRows } from "./outcome-counts.ts";
import { BROKEN_FILE, plantMistakes, type SampleMistake } from "./plant-mistakes.ts";
import { writePostsecondary } from "./postsecondary.ts";
import { CONFIG_YAML, PARTNERS_YAML, readIndicatorCatalog } from "./project-files.ts";
import { dataRows, noteSmallGroups, renderReadme } from "./readme.ts";
import { writeAssessment, writeGraduationCohort, writeKindergarten } from "./student-records.ts";
import { writeWorkforce } from "./workforce.ts";
import { YEARS } from "./years.ts";

export const SAMPLE_DIR = "fixtures/sample-community";
export const DEFAULT_SEED = 2026;

/**
 * The whole sample community, relative path to file text. Pure for a given seed and catalog: the
 * same seed always gives the same files.
 */
export function generateSampleCommunity(
  seed: number = DEFAULT_SEED,
  indicators: ReadonlyMap<string, string> = readIndicatorCatalog(),
): Map<string, string> {
  return buildSampleCommunity(seed, indicators).files;
}

/** The files and the deliberate mistakes planted in them. */
export function buildSampleCommunity(
  seed: number = DEFAULT_SEED,
  indicators: ReadonlyMap<string, string> = readIndicatorCatalog(),
): { files: Map<string, string>; mistakes: SampleMistake[] } {
  const data = new Map<string, string>();
  const small = new Map<string, number[]>();
  let mistakes: SampleMistake[] = [];
  for (const year of YEARS) {
    const riverside = simulateDistrictYear(RIVERSIDE, year, seed, "riverside-usd");
    const cedar = simulateDistrictYear(CEDAR_HILLS, year, seed, "cedar-hills-sd");
    const dir = `data/${year}`;
    data.set(`${dir}/riverside-usd/kindergarten-${year}.csv`, writeKindergarten(riverside, RIVERSIDE, year));
    data.set(`${dir}/riverside-usd/assessment-${year}.csv`, writeAssessment(riverside, RIVERSIDE, year));
    data.set(`${dir}/riverside-usd/graduation-cohort-${year}.csv`, writeGraduationCohort(riverside, RIVERSIDE, year));

    let counts = outcomeCountRows(cedar, CEDAR_HILLS, year);
    if (`${dir}/cedar-hills-sd/outcome-counts-${year}.csv` === BROKEN_FILE) {
      const planted = plantMistakes(counts);
      counts = planted.rows;
      mistakes = planted.mistakes;
    }
    data.set(`${dir}/cedar-hills-sd/outcome-counts-${year}.csv`, writeCsv(OUTCOME_COUNT_HEADER, counts));

    const births = writeBirthOutcomes(year, seed);
    data.set(`${dir}/river-valley-health/birth-outcomes-${year}.csv`, births);
    data.set(
      `${dir}/pathways-college-access/postsecondary-${year}.csv`,
      writePostsecondary(
        year,
        [
          [RIVERSIDE, riverside],
          [CEDAR_HILLS, cedar],
        ],
        seed,
      ),
    );
    const workforce = writeWorkforce(year, seed);
    data.set(`${dir}/river-valley-works/workforce-outcomes-${year}.csv`, workforce);
    noteSmallGroups(small, riverside, cedar, births, workforce);
  }

  const files = new Map<string, string>();
  const rows = new Map([...data].map(([p, t]) => [p, dataRows(t)]));
  files.set("README.md", renderReadme({ rows, mistakes, small: [...small] }));
  files.set("c2c.config.yaml", CONFIG_YAML);
  files.set("partners.yaml", PARTNERS_YAML);
  files.set("boundaries/districts.geojson", BOUNDARIES_GEOJSON);
  for (const [name, text] of indicators) files.set(`indicators/${name}`, text);
  for (const [p, text] of data) files.set(p, text);
  return { files, mistakes };
}

/** Writes the sample community into the repository, replacing the previous data and catalog. */
export function writeSampleCommunity(root: string, files: ReadonlyMap<string, string>): void {
  const dir = path.join(root, SAMPLE_DIR);
  for (const stale of ["data", "indicators"]) rmSync(path.join(dir, stale), { recursive: true, force: true });
  for (const [rel, text] of files) {
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}
