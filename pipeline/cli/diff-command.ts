import path from "node:path";
import Papa from "papaparse";
import type { Effects } from "../effects.ts";
import { type Observation, observationKey } from "../observation.ts";
import { MANIFEST, PUBLIC_MANIFEST } from "../write/output-layout.ts";
import type { BuildManifest } from "../write/write-outputs.ts";
import { type Command, flag, stringOption } from "./command.ts";
import { formatTable, plural } from "./format.ts";

export const DIFF_HELP = `Usage: c2c diff OLD NEW [options]

Compares two builds' published figures: which values changed, appeared or disappeared, and why
where c2c can tell (a new or revised partner file, suppression, a change of definitions). Run it
before publishing, against the site you published last.

OLD and NEW are build folders (holding site/ and private/, e.g. out/) or site folders. The reasons
that name partner files need each build's private/build.json; with a site alone, c2c tells only a
change of configuration or of c2c's version (from the site's c2c-manifest.json).

Options:
  --json         print the changes as JSON on stdout
  --max-rows N   rows shown per kind of change (default 40; 0 = all)
  -h, --help     show this help

Exit status: 0 when the comparison ran (whether or not anything changed), 1 when a build could not
be read, 2 for a mistake in the command.

Examples:
  cp -r out last-year && c2c build && c2c diff last-year out
  c2c diff /var/www/dashboard out --json       the published copy of the site, and a new build
`;

export type ChangeKind = "changed" | "appeared" | "disappeared" | "now-hidden" | "now-shown";

export interface Change {
  kind: ChangeKind;
  key: string;
  old: Pick<Observation, "numerator" | "denominator" | "value" | "flag"> | null;
  new: Pick<Observation, "numerator" | "denominator" | "value" | "flag"> | null;
  reasons: string[];
}

/** What a build's manifest says about how it was made: the private one has the inputs, a site's public one not. */
type MadeFrom = Pick<BuildManifest, "c2c" | "configHash"> & { inputs?: BuildManifest["inputs"] };

interface Build {
  observations: Map<string, Observation>;
  manifest: MadeFrom | null;
}

/** Reads a build folder or a site folder: its observations.csv and, where present, build.json. */
export async function readBuild(dir: string, effects: Effects): Promise<Build> {
  const candidates = [path.join(dir, "site"), dir];
  let site: string | null = null;
  for (const c of candidates)
    if (await effects.exists(path.join(c, "data", "observations.csv"))) {
      site = c;
      break;
    }
  if (site === null)
    throw new Error(`${dir} holds no c2c site (no site/data/observations.csv or data/observations.csv)`);
  const text = new TextDecoder().decode(await effects.readFile(path.join(site, "data", "observations.csv")));
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const num = (v: string | undefined) => (v === undefined || v === "" ? null : Number(v));
  const observations = new Map<string, Observation>();
  for (const r of parsed.data) {
    const o: Observation = {
      indicator: r.indicator ?? "",
      year: Number(r.year),
      geo_level: (r.geo_level ?? "community") as Observation["geo_level"],
      geo_id: r.geo_id ?? "",
      dimension: (r.dimension ?? "all") as Observation["dimension"],
      group: r.group ?? "",
      numerator: num(r.numerator),
      denominator: num(r.denominator),
      value: num(r.value),
      lower: num(r.lower),
      upper: num(r.upper),
      flag: (r.flag ?? "ok") as Observation["flag"],
      sources: (r.sources ?? "").split(";").filter((s) => s !== ""),
    };
    observations.set(observationKey(o), o);
  }
  let manifest: MadeFrom | null = null;
  // The build's private manifest beside the site (an earlier c2c's beside it too), else the site's public one.
  const manifests = [
    path.join(site, "..", MANIFEST),
    path.join(site, "..", "build.json"),
    path.join(site, PUBLIC_MANIFEST),
  ];
  for (const m of manifests)
    if (await effects.exists(m)) {
      manifest = JSON.parse(new TextDecoder().decode(await effects.readFile(m))) as MadeFrom;
      break;
    }
  return { observations, manifest };
}

const pick = (o: Observation) => ({ numerator: o.numerator, denominator: o.denominator, value: o.value, flag: o.flag });

/** Why a published cell moved, from the two manifests: which of its source files are new, revised or gone. */
function reasonsFor(o: Observation | undefined, n: Observation | undefined, a: Build, b: Build): string[] {
  const reasons: string[] = [];
  const oldInputs = new Map((a.manifest?.inputs ?? []).map((i) => [i.path, i.sha256]));
  const newInputs = new Map((b.manifest?.inputs ?? []).map((i) => [i.path, i.sha256]));
  const sources = new Set([...(o?.sources ?? []), ...(n?.sources ?? [])]);
  for (const s of [...sources].sort()) {
    const before = oldInputs.get(s);
    const after = newInputs.get(s);
    if (a.manifest?.inputs && b.manifest?.inputs) {
      if (before === undefined && after !== undefined) reasons.push(`new file ${s}`);
      else if (before !== undefined && after === undefined) reasons.push(`file no longer used: ${s}`);
      else if (before !== after) reasons.push(`revised file ${s}`);
    }
  }
  if (o && n && o.flag !== n.flag) {
    if (n.flag === "suppressed") reasons.push("hidden to protect privacy");
    else if (n.flag === "source-suppressed") reasons.push("withheld by the partner");
    else if (n.flag === "incomplete") reasons.push("a part of the group was withheld");
    else if (n.flag === "bottom-coded" || n.flag === "top-coded")
      reasons.push("shown only as a range, to protect privacy");
    else if (o.flag === "suppressed") reasons.push("no longer needs hiding");
  }
  if (reasons.length === 0 && a.manifest && b.manifest && a.manifest.configHash !== b.manifest.configHash)
    reasons.push("the configuration or definitions changed");
  if (reasons.length === 0 && a.manifest && b.manifest && a.manifest.c2c.version !== b.manifest.c2c.version)
    reasons.push(`c2c changed (${a.manifest.c2c.version} → ${b.manifest.c2c.version})`);
  if (reasons.length === 0) reasons.push(a.manifest && b.manifest ? "no reason recorded" : "no manifest to tell why");
  return reasons;
}

/** Every published cell that differs between two builds, in the order of the new build's table. */
export function diffBuilds(a: Build, b: Build): Change[] {
  const changes: Change[] = [];
  const same = (x: Observation, y: Observation) =>
    x.numerator === y.numerator &&
    x.denominator === y.denominator &&
    x.flag === y.flag &&
    (x.value === y.value || (x.value !== null && y.value !== null && Math.abs(x.value - y.value) < 1e-12));
  for (const [key, n] of b.observations) {
    const o = a.observations.get(key);
    if (!o) {
      changes.push({ kind: "appeared", key, old: null, new: pick(n), reasons: reasonsFor(undefined, n, a, b) });
      continue;
    }
    if (same(o, n)) continue;
    const kind: ChangeKind =
      o.value !== null && n.value === null
        ? "now-hidden"
        : o.value === null && n.value !== null
          ? "now-shown"
          : "changed";
    changes.push({ kind, key, old: pick(o), new: pick(n), reasons: reasonsFor(o, n, a, b) });
  }
  for (const [key, o] of a.observations)
    if (!b.observations.has(key))
      changes.push({ kind: "disappeared", key, old: pick(o), new: null, reasons: reasonsFor(o, undefined, a, b) });
  return changes;
}

function show(v: Change["old"]): string {
  if (!v) return "";
  if (v.value === null) return v.flag;
  return `${(v.value * 100).toFixed(1)}% (${v.numerator} of ${v.denominator})`;
}

const TITLES: Record<ChangeKind, string> = {
  changed: "Changed",
  "now-hidden": "Now hidden",
  "now-shown": "Now shown",
  appeared: "New",
  disappeared: "No longer published",
};

export function formatDiff(changes: readonly Change[], maxRows: number): string {
  if (changes.length === 0) return "No published figure changed.\n";
  const lines: string[] = [];
  const counts = (Object.keys(TITLES) as ChangeKind[])
    .map((k) => [k, changes.filter((c) => c.kind === k).length] as const)
    .filter(([, n]) => n > 0);
  lines.push(
    `${plural(changes.length, "published figure")} differ: ${counts.map(([k, n]) => `${n} ${TITLES[k].toLowerCase()}`).join(", ")}.`,
  );
  for (const [kind] of counts) {
    const list = changes.filter((c) => c.kind === kind);
    const rows = (maxRows > 0 ? list.slice(0, maxRows) : list).map((c) => [
      c.key.replace(/\|/g, " "),
      show(c.old),
      show(c.new),
      c.reasons.join("; "),
    ]);
    lines.push(
      "",
      `${TITLES[kind]} (${list.length}):`,
      formatTable(["figure", "before", "after", "why"], rows, [false, true, true, false]),
    );
    if (rows.length < list.length) lines.push(`… and ${list.length - rows.length} more (--max-rows 0 shows all)`);
  }
  return `${lines.join("\n")}\n`;
}

export const diffCommand: Command = {
  name: "diff",
  summary: "compare two builds' published figures, and say why they differ",
  help: DIFF_HELP,
  options: { json: { type: "boolean" }, "max-rows": { type: "string", default: "40" } },
  positionals: { min: 2, max: 2, usage: "name two builds to compare, e.g. `c2c diff last-year/out out`" },
  async run(args, ctx) {
    const maxRows = Number(stringOption(args, "max-rows"));
    if (!Number.isInteger(maxRows) || maxRows < 0) {
      ctx.effects.log.warn("diff: --max-rows takes a whole number, 0 or more.");
      return 2;
    }
    let a: Build;
    let b: Build;
    try {
      a = await readBuild(args.positionals[0] as string, ctx.effects);
      b = await readBuild(args.positionals[1] as string, ctx.effects);
    } catch (e) {
      ctx.effects.log.warn(`diff: ${e instanceof Error ? e.message : String(e)}.`);
      return 1;
    }
    const changes = diffBuilds(a, b);
    ctx.stdout(flag(args, "json") ? `${JSON.stringify(changes, null, 2)}\n` : formatDiff(changes, maxRows));
    return 0;
  },
};
