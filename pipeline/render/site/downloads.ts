import type { Indicator } from "../../../schemas/index.ts";
import { type CsvValue, writeCsv } from "../../csv/write-csv.ts";
import { OBSERVATION_COLUMNS, type Observation } from "../../observation.ts";

function cells(o: Observation): CsvValue[] {
  return OBSERVATION_COLUMNS.map((c) => (c === "sources" ? o.sources.join(";") : o[c]));
}

/** The published observations as CSV, in the columns of the observation table. */
export function observationsCsv(observations: readonly Observation[]): string {
  return writeCsv(OBSERVATION_COLUMNS, observations.map(cells));
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
  lower: {
    type: "number",
    description:
      "Lower end of the Wilson score interval of value (at the level the methods page gives); for a top-coded cell, the share it is above.",
  },
  upper: {
    type: "number",
    description: "Upper end of the Wilson score interval of value; for a bottom-coded cell, the share it is below.",
  },
  flag: {
    type: "string",
    description:
      "ok; suppressed (hidden to protect privacy); source-suppressed (withheld by the partner); incomplete (part of the group was withheld); low-reliability (few counted: read with caution); bottom-coded (the share is below upper: few reached the outcome, so numerator and value are hidden and denominator is shown); top-coded (the share is above lower: few did not).",
  },
  sources: { type: "string", description: "The partner files the figure was computed from, separated by semicolons." },
};

type FieldDoc = { name: string; type: string; description: string };
const place: FieldDoc[] = [
  { name: "indicator", type: "string", description: "The indicator's id." },
  { name: "geo_level", type: "string", description: "community or district." },
  { name: "geo_id", type: "string", description: "The id of the community or district." },
];
const group: FieldDoc[] = [
  { name: "dimension", type: "string", description: "The kind of group; all for everyone." },
  { name: "group", type: "string", description: "The group within the dimension." },
];
const share = (name: string, description: string): FieldDoc => ({ name, type: "number", description });

/** The derived tables' columns, in download order, with what each means. */
export const DERIVED_FIELDS = {
  changes: [
    ...place,
    ...group,
    { name: "year", type: "integer", description: "The year of the figure." },
    share("value", "The published share."),
    share(
      "change_previous",
      "Change from the year before, in shares (0.03 is 3 points); blank when that year is missing, hidden or across a break in series.",
    ),
    share("change_previous_relative", "The same change relative to the year before (0.1 is 10%)."),
    {
      name: "change_previous_significant",
      type: "boolean",
      description: "Whether the change is larger than sampling variation explains at the site's confidence level.",
    },
    { name: "baseline_year", type: "integer", description: "The indicator's baseline year." },
    share(
      "change_baseline",
      "Change from the baseline year, in shares; blank when the baseline is missing, hidden or across a break.",
    ),
    share("change_baseline_relative", "The same change relative to the baseline."),
    {
      name: "change_baseline_significant",
      type: "boolean",
      description: "Whether the change since the baseline is larger than sampling variation explains.",
    },
  ],
  progress: [
    ...place,
    { name: "baseline_year", type: "integer", description: "The baseline year." },
    share("baseline_value", "The published share in the baseline year."),
    { name: "latest_year", type: "integer", description: "The latest year with a published share." },
    share("latest_value", "The latest published share."),
    { name: "target_year", type: "integer", description: "The year of the target." },
    share("target_value", "The target share."),
    {
      name: "status",
      type: "string",
      description:
        "target-reached, target-missed (the target's year has come without it), on-track, needs-acceleration, limited-progress, wrong-way or not-enough-data.",
    },
    share("required_pace", "Shares a year needed from the baseline to reach the target on time."),
    share("actual_pace", "Shares a year achieved from the baseline to the latest year."),
    share("on_track_value", "Where the share would be in the latest year at the required pace."),
    {
      name: "children_needed",
      type: "integer",
      description:
        "How many more children (fewer, where lower is better) would have been needed in the latest year to be on track.",
    },
    {
      name: "break_year",
      type: "integer",
      description: "A break in series after the baseline, which stops progress being judged.",
    },
  ],
  gaps: [
    { name: "indicator", type: "string", description: "The indicator's id." },
    { name: "year", type: "integer", description: "The year." },
    { name: "geo_level", type: "string", description: "community or district." },
    { name: "geo_id", type: "string", description: "The id of the community or district." },
    ...group,
    share("value", "The group's published share."),
    {
      name: "reference",
      type: "string",
      description: "What the group is compared with: overall, best, or a group's code.",
    },
    share("reference_value", "The reference's share."),
    share("gap", "value − reference_value: negative is below the reference."),
    share("ratio", "value ÷ reference_value."),
    {
      name: "behind",
      type: "boolean",
      description: "Whether the group does worse than its reference, respecting the indicator's polarity.",
    },
    share("baseline_gap", "The gap in the baseline year."),
    { name: "narrowing", type: "boolean", description: "Whether the gap is smaller than at the baseline." },
    {
      name: "children_to_close",
      type: "integer",
      description:
        "Children of the group who would need to reach the milestone (or not have the outcome, where lower is better) to close the gap.",
    },
  ],
} satisfies Record<string, FieldDoc[]>;

export const DERIVED_COLUMNS = Object.fromEntries(
  Object.entries(DERIVED_FIELDS).map(([k, fields]) => [k, fields.map((f) => f.name)]),
) as Record<keyof typeof DERIVED_FIELDS, string[]>;

/** Any table of plain rows as CSV, in the given columns; booleans as true/false, blanks for null. */
export function tableCsv(rows: readonly object[], columns: readonly string[]): string {
  const cell = (v: unknown): CsvValue =>
    v === null || v === undefined || typeof v === "number" || typeof v === "string" || typeof v === "boolean"
      ? v
      : String(v);
  return writeCsv(
    columns,
    rows.map((row) => columns.map((c) => cell((row as Record<string, unknown>)[c]))),
  );
}

function tableSchema() {
  return {
    fields: OBSERVATION_COLUMNS.map((name) => ({ name, ...FIELD_DOCS[name] })),
    primaryKey: ["indicator", "year", "geo_level", "geo_id", "dimension", "group"],
    missingValues: [""],
  };
}

const DERIVED_TITLES: Record<keyof typeof DERIVED_FIELDS, string> = {
  changes: "Each figure's change from the year before and from the baseline",
  progress: "Progress of each indicator to its target, for the community and each district",
  gaps: "Each group's gap to its reference, and whether it is narrowing",
};

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
      ...(Object.keys(DERIVED_FIELDS) as (keyof typeof DERIVED_FIELDS)[]).map((name) => ({
        name,
        path: `data/${name}.csv`,
        title: DERIVED_TITLES[name],
        profile: "tabular-data-resource",
        format: "csv",
        mediatype: "text/csv",
        encoding: "utf-8",
        schema: { fields: DERIVED_FIELDS[name], missingValues: [""] },
      })),
      ...indicators.map((i) => resource(i.id, `data/${i.id}.csv`, i.title)),
    ],
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
