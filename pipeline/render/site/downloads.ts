import type { Indicator } from "../../../schemas/index.ts";
import { OBSERVATION_COLUMNS, type Observation } from "../../observation.ts";

/** One cell of a CSV download: quoted when needed, and never read by a spreadsheet as a formula. */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function cells(o: Observation): (string | number | null)[] {
  return OBSERVATION_COLUMNS.map((c) => (c === "sources" ? o.sources.join(";") : o[c]));
}

/** The published observations as CSV, in the columns of the observation table. */
export function observationsCsv(observations: readonly Observation[]): string {
  const lines = [OBSERVATION_COLUMNS.join(",")];
  for (const o of observations) lines.push(cells(o).map(csvCell).join(","));
  return `${lines.join("\n")}\n`;
}

export function observationsJson(observations: readonly Observation[]): string {
  return `${JSON.stringify(observations, null, 1)}\n`;
}

const FIELD_DOCS: Record<(typeof OBSERVATION_COLUMNS)[number], { type: string; description: string }> = {
  indicator: { type: "string", description: "The indicator's id; its page is indicators/<id>.html." },
  year: {
    type: "integer",
    description: "The year: for school-year indicators the year the school year ends (2025 is 2024-25).",
  },
  geo_level: { type: "string", description: "community for the whole partnership, district for one district." },
  geo_id: { type: "string", description: "The id of the community or district." },
  dimension: {
    type: "string",
    description:
      "The kind of group: all, race_ethnicity, gender, economic_disadvantage, english_learner or disability.",
  },
  group: { type: "string", description: "The group within the dimension; all for everyone." },
  numerator: { type: "integer", description: "How many reached the outcome; blank where hidden or unknown." },
  denominator: { type: "integer", description: "How many were counted; blank where hidden or unknown." },
  value: { type: "number", description: "numerator / denominator, a share between 0 and 1; blank where hidden." },
  lower: { type: "number", description: "Lower end of the 95% Wilson score interval of value." },
  upper: { type: "number", description: "Upper end of the 95% Wilson score interval of value." },
  flag: {
    type: "string",
    description:
      "ok; suppressed (hidden to protect privacy); source-suppressed (withheld by the partner); incomplete (part of the group was withheld); low-reliability (few counted: read with caution).",
  },
  sources: { type: "string", description: "The partner files the figure was computed from, separated by semicolons." },
};

function tableSchema() {
  return {
    fields: OBSERVATION_COLUMNS.map((name) => ({ name, ...FIELD_DOCS[name] })),
    primaryKey: ["indicator", "year", "geo_level", "geo_id", "dimension", "group"],
    missingValues: [""],
  };
}

/** A Frictionless data package describing every CSV download. */
export function dataPackage(name: string, title: string, buildDate: string, indicators: readonly Indicator[]): string {
  const resource = (id: string, p: string, t: string) => ({
    name: id,
    path: p,
    title: t,
    profile: "tabular-data-resource",
    format: "csv",
    mediatype: "text/csv",
    encoding: "utf-8",
    schema: tableSchema(),
  });
  const pkg = {
    profile: "tabular-data-package",
    name,
    title,
    created: `${buildDate}T00:00:00Z`,
    resources: [
      resource("observations", "data/observations.csv", "Every published figure"),
      ...indicators.map((i) => resource(i.id, `data/${i.id}.csv`, i.title)),
    ],
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
