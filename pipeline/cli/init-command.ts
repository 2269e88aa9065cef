import path from "node:path";
import type { Effects } from "../effects.ts";
import { loadProject } from "../load/load-project.ts";
import { templatesFor } from "../template/extract-templates.ts";
import type { Command } from "./command.ts";

export const INIT_HELP = `Usage: c2c init [DIR]

Starts a new partnership's folder in DIR (default: the current folder), ready to build:

  c2c.config.yaml      the partnership, its community and districts, the privacy policy (with comments)
  partners.yaml        who sends which files: one example partner of each kind, to edit
  indicators/          the indicator catalog (c2c's defaults, to edit or extend)
  data/<year>/<partner>/   where partners' files go, one folder per school year and partner
  templates/           what to send partners: CSV templates and data dictionaries
  FOR-PARTNERS.md      how partners prepare and send their files
  README.md            what to do next
  .gitignore           keeps data/ (partners' records) and out/ (the build, with its private
                       partner reports and input checksums) out of a git repository

It includes a small example district's files for the last two school years, so that
\`c2c build\` works at once; replace them with your partners' real files. Existing files are never
overwritten.

Examples:
  c2c init my-partnership
  c2c build --project my-partnership
`;

/** The school year whose spring has passed on `date` (`YYYY-MM-DD`), as its end year. */
export function latestSchoolYear(date: string): number {
  const [year, month] = date.split("-").map(Number) as [number, number];
  return month >= 7 ? year : year - 1;
}

const CONFIG = (
  year: number,
) => `# c2c.config.yaml: the partnership, its community and districts, and how small numbers are protected.
# Every key is checked when you run \`c2c build\`; a mistake is reported with its line and how to fix it.

partnership:
  # The name shown at the top of the dashboard.
  name: Example Cradle to Career Partnership
  # One or two sentences for the dashboard's front page.
  introduction: >-
    The Example partnership brings schools, health and community partners together to track how
    our children are doing from birth to career, and to close the gaps between groups.
  # url: https://example.org/
  # The introduction on the Spanish pages (without it, they show the one above, marked as English):
  # translations:
  #   es:
  #     introduction: >-
  #       La asociación Example reúne a las escuelas, la salud y las organizaciones de la comunidad...

community:
  # A short id (lowercase letters, digits and hyphens) and the name readers see.
  id: example-community
  name: Example County

# The school districts figures are shown for. \`codes\` are the ids partners write in their files
# (state or NCES codes, abbreviations); c2c matches any of them.
districts:
  - id: example-district
    name: Example Unified School District
    codes: ["0001", "EUSD"]

# The latest year to publish (the year a school year ends: ${year} is ${year - 1}-${String(year % 100).padStart(2, "0")}).
# Leave it out to publish through the latest year with data.
# reportingYear: ${year}

# No published figure may rest on fewer than this many children (the group, those who reached the
# outcome, and those who did not). Cells that would let a hidden one be worked out are hidden too.
privacy:
  minimumCount: 10
  # Rates that few reached (or few did not) in a large group can be shown as "<5%" (">95%") with
  # how many were counted, instead of hidden; only where the range still hides the small count.
  # coding: { below: 0.05, above: 0.95 }

site:
  # title: Example Cradle to Career Outcomes
  language: en
`;

const PARTNERS = `# partners.yaml: who sends which files. Each partner's files go in data/<year>/<partner id>/.
# \`files\` is the file-name pattern of each extract; \`suppressed\` lists the partner's own markers
# for numbers it withholds (they are kept as withheld, never read as 0).
# Run \`c2c template\` to list the extract schemas and write a template of each for partners.

partners:
  - id: example-district
    name: Example Unified School District
    kind: school-district
    contact: Office of Assessment, data@example-district.example.org
    # The district this partner's rows belong to when a file has no district column.
    district: example-district
    extracts:
      - schema: outcome-counts
        files: outcome-counts-*.csv
        suppressed: ["*"]
      # A district that can share one row per student sends these instead:
      # - schema: student-assessment
      #   files: assessment-*.csv

  - id: county-health
    name: Example County Health Department
    kind: health-department
    extracts:
      - schema: birth-outcomes
        files: birth-outcomes-*.csv
        suppressed: ["*", "<11"]

  - id: college-access
    name: Example College Access Network
    kind: college-access
    extracts:
      - schema: postsecondary-records
        files: postsecondary-*.csv

  - id: workforce-board
    name: Example Workforce Board
    kind: workforce
    extracts:
      - schema: workforce-outcomes
        files: workforce-outcomes-*.csv

  - id: early-learning
    name: Example Early Learning Coalition
    kind: service-provider
    extracts:
      - schema: student-kindergarten
        files: kindergarten-*.csv

# When two partners send different figures for the same cell, publish the first listed partner's.
# Without it, conflicting figures are not published at all and both partners are told.
# precedence: [example-district]
`;

const FOR_PARTNERS = `# Sending your data to the partnership

Thank you for sharing your data. This page says what to send, how, and what happens to it.

## What to send

Each year, send one CSV file per extract listed for you in \`partners.yaml\` (ask the
partnership's analyst which ones). The \`templates/\` folder has, for each extract:

- \`<extract>.csv\`: the header row and one example row. Keep the header, replace the example.
- \`<extract>.html\`: every column, what to write in it, which codes count, and an example.

Columns may come in any order, and common names for a column are recognised (the dictionary lists
them). Write school years as \`2024-25\`, \`2024-2025\` or \`2025\`. Keep ids as text so leading zeros
survive (in Excel, format the column as Text before pasting).

## Small numbers

If your rules say to withhold small counts, write your usual marker (for example \`*\`) in place of
the number, never 0. Tell the analyst which markers you use. The partnership applies its own
protection before anything is published: no figure is shown for fewer than 10 children.

## Check your file before sending it

If you have c2c installed, run

    c2c check your-file.csv

It checks the file exactly as the partnership's build will, on your own computer, and lists every
problem with its line, what is wrong and how to fix it. Nothing is sent anywhere.

After each build the analyst sends you your report (\`out/private/partners/<your id>/report.html\`): which
rows were used, and what to fix in any that were not. Your report is private to you.
`;

const README = (year: number) => `# Example partnership, made with c2c

Next steps:

1. Edit \`c2c.config.yaml\`: your partnership's name, community and districts.
2. Edit \`partners.yaml\`: your partners and the files each sends.
3. Send each partner \`FOR-PARTNERS.md\` and their templates from \`templates/\`.
4. Put partners' files in \`data/<year>/<partner id>/\` (the year a school year ends: \`data/${year}/\`
   holds ${year - 1}-${String(year % 100).padStart(2, "0")}), and remove the example district's files.
5. Run \`c2c build\`, read the summary, send each partner its report from \`out/private/partners/\`,
   and publish \`out/site/\` on any static web host: copy what it holds (\`rsync -a out/site/ DEST/\`
   or \`cp -RL out/site DEST\`). Never publish \`out/private/\`: it quotes partners' rows and holds
   the checksums of their files.

The example district's files in \`data/${year - 1}/\` and \`data/${year}/\` are made up; they are
there so that \`c2c build\` works on a fresh folder.
`;

/** `.gitignore`: nothing a partner sent, and nothing private the build wrote, goes into a repository. */
const GITIGNORE = `# Written by c2c init. Keep these out of git:
# data/ holds the files partners send (records of children and families).
data/
# out/ is what c2c build writes: out/private/ has partner reports (they quote partners' rows) and
# the checksums of their files; out/site is a link to the current build. To publish through git,
# copy what out/site/ holds into the repository that publishes it (rsync -a out/site/ DEST/).
out/
`;

/** Example counts for a made-up district: two schools and district rows, all above the minimum count. */
function exampleCounts(year: number, step: number): string {
  const measures: [string, number, number][] = [
    ["Kindergarten Readiness", 180, 0.48],
    ["Grade 3 Reading", 170, 0.42],
    ["Grade 8 Math", 160, 0.3],
    ["Four-Year Graduation", 150, 0.84],
  ];
  const groups: [string, string, number, number][] = [
    ["All Students", "All Students", 1, 0],
    ["Gender", "Female", 0.5, 0.03],
    ["Gender", "Male", 0.5, -0.03],
    ["Economically Disadvantaged", "Economically Disadvantaged", 0.45, -0.1],
    ["Economically Disadvantaged", "Not Economically Disadvantaged", 0.55, 0.082],
  ];
  const lines = ["school_year,district_id,school_id,measure,student_group_type,student_group,total_count,met_count"];
  const sy = `${year - 1}-${String(year % 100).padStart(2, "0")}`;
  for (const [measure, size, rate] of measures) {
    for (const school of ["", "101", "102"]) {
      const share = school === "" ? 1 : school === "101" ? 0.55 : 0.45;
      const all = Math.round(size * share);
      let first = 0;
      for (const [type, group, part, gap] of groups) {
        // The second group of each pair is what is left of everyone, so groups add up to the total.
        const isSecond = group === "Male" || group === "Not Economically Disadvantaged";
        const total = part === 1 ? all : isSecond ? all - first : Math.round(all * part);
        if (part !== 1 && !isSecond) first = total;
        const met = Math.round(total * Math.min(0.95, rate + gap + step * 0.02));
        lines.push(`${sy},0001,${school},${measure},${type},${group},${total},${met}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Scaffolds a partnership folder; returns the files written and those left as they were. */
export async function initProject(
  dir: string,
  c2cRoot: string,
  buildDate: string,
  effects: Effects,
): Promise<{ written: string[]; kept: string[] }> {
  const year = latestSchoolYear(buildDate);
  const files = new Map<string, string | Uint8Array>([
    ["c2c.config.yaml", CONFIG(year)],
    ["partners.yaml", PARTNERS],
    ["README.md", README(year)],
    ["FOR-PARTNERS.md", FOR_PARTNERS],
    [".gitignore", GITIGNORE],
    [`data/${year - 1}/example-district/outcome-counts-${year - 1}.csv`, exampleCounts(year - 1, 0)],
    [`data/${year}/example-district/outcome-counts-${year}.csv`, exampleCounts(year, 1)],
  ]);
  for (const name of await effects.listFiles(path.join(c2cRoot, "indicators")))
    if (name.endsWith(".yaml"))
      files.set(`indicators/${name}`, await effects.readFile(path.join(c2cRoot, "indicators", name)));
  for (const partner of ["county-health", "college-access", "workforce-board", "early-learning"])
    files.set(`data/${year}/${partner}/.keep`, "");

  const written: string[] = [];
  const kept: string[] = [];
  for (const [rel, content] of files) {
    const target = path.join(dir, rel);
    if (await effects.exists(target)) kept.push(rel);
    else {
      await effects.writeFile(target, content);
      written.push(rel);
    }
  }
  // Templates for every extract the example partners send, from the project as it now stands.
  const project = await loadProject(path.resolve(dir), c2cRoot, effects);
  const used = new Set(project.partners.flatMap((p) => p.extracts.map((x) => x.schema)));
  for (const id of [...used].sort()) {
    const schema = project.extracts.get(id);
    if (!schema) continue;
    const t = templatesFor(schema, project.vocabularies);
    for (const [rel, content] of [
      [`templates/${id}.csv`, t.csv],
      [`templates/${id}.html`, t.dictionary],
    ] as const) {
      const target = path.join(dir, rel);
      if (await effects.exists(target)) kept.push(rel);
      else {
        await effects.writeFile(target, content);
        written.push(rel);
      }
    }
  }
  return { written, kept };
}

export const initCommand: Command = {
  name: "init",
  summary: "start a new partnership's folder, with an example that builds at once",
  help: INIT_HELP,
  options: {},
  positionals: { min: 0, max: 1, usage: "name at most one folder, e.g. `c2c init my-partnership`" },
  async run(args, ctx) {
    const dir = args.positionals[0] ?? ".";
    if (await ctx.effects.exists(path.join(dir, "c2c.config.yaml"))) {
      ctx.effects.log.warn(`init: ${dir} already holds a partnership (c2c.config.yaml); nothing was changed.`);
      return 1;
    }
    const { written, kept } = await initProject(dir, ctx.c2cRoot, ctx.buildDate, ctx.effects);
    const shown = written.filter((w) => !w.endsWith(".keep") && !w.startsWith("indicators/"));
    const indicators = written.filter((w) => w.startsWith("indicators/")).length;
    if (kept.includes(".gitignore")) {
      const lines = new TextDecoder()
        .decode(await ctx.effects.readFile(path.join(dir, ".gitignore")))
        .split(/\r?\n/)
        .map((l) => l.trim().replace(/^\//, ""));
      const missing = ["data/", "out/"].filter((x) => !lines.includes(x) && !lines.includes(x.slice(0, -1)));
      if (missing.length > 0)
        ctx.effects.log.warn(
          `init: ${path.join(dir, ".gitignore")} was left as it was, and does not list ${missing.join(" or ")}: add ${missing.length > 1 ? "them" : "it"}, so partners' files and the build's private outputs stay out of git.`,
        );
    }
    ctx.stdout(
      [
        `Started a partnership in ${dir}:`,
        ...shown.map((w) => `  ${w}`),
        `  indicators/ (${indicators} indicators from c2c's catalog)`,
        ...(kept.length > 0 ? [`Left as they were: ${kept.join(", ")}`] : []),
        "",
        "Next:",
        `  c2c build --project ${dir}        builds the example into ${path.join(dir, "out", "site")}`,
        `  then edit ${path.join(dir, "c2c.config.yaml")} and ${path.join(dir, "partners.yaml")}; ${path.join(dir, "README.md")} says what else.`,
        "",
      ].join("\n"),
    );
    return 0;
  },
};
