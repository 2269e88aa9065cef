import path from "node:path";
import { z } from "zod";
import type { Config } from "../../../schemas/index.ts";
import type { Effects } from "../../effects.ts";
import { RefusedFileError } from "../../files/path-kind.ts";
import { type ConfigError, formatKeyPath, ProjectError } from "../../load/config-error.ts";
import { unreadableProjectFile } from "../../load/project-paths.ts";
import type { BoundaryFeature } from "./charts.ts";

const PositionSchema = z.tuple([z.number(), z.number()]).rest(z.number());
const RingSchema = z.array(PositionSchema).min(4);

const BoundaryFeatureSchema = z.object({
  type: z.literal("Feature"),
  properties: z.looseObject({ id: z.string().min(1) }),
  geometry: z.discriminatedUnion("type", [
    z.object({ type: z.literal("Polygon"), coordinates: z.array(RingSchema).min(1) }),
    z.object({ type: z.literal("MultiPolygon"), coordinates: z.array(z.array(RingSchema).min(1)).min(1) }),
  ]),
});

const BoundaryFileSchema = z.object({
  type: z.literal("FeatureCollection"),
  features: z.array(BoundaryFeatureSchema).min(1),
});

/**
 * Reads the config's `boundaries` GeoJSON (longitude/latitude outlines of the districts), or null
 * when the config names none. Each feature's `id` property must be a district id of the config.
 * Only the outline and the id are kept: nothing else in the file reaches the site.
 */
export async function loadBoundaries(
  projectDir: string,
  config: Config,
  effects: Effects,
): Promise<BoundaryFeature[] | null> {
  if (config.boundaries === undefined) return null;
  const file = config.boundaries;
  const fail = (key: string | null, message: string, fix: string): never => {
    throw new ProjectError([{ file, line: null, key, message, fix } satisfies ConfigError]);
  };
  let text: string;
  try {
    // Only inside the project (loading the project refused a path that leaves it; this holds if it changed since).
    const bytes = await effects.readFile(path.resolve(projectDir, file), { within: path.resolve(projectDir) });
    text = new TextDecoder("utf-8").decode(bytes);
  } catch (e) {
    if (e instanceof RefusedFileError)
      throw new ProjectError([{ ...unreadableProjectFile("c2c.config.yaml", e), key: "boundaries" }]);
    return fail(
      null,
      "the boundary file named by `boundaries` in c2c.config.yaml could not be read.",
      "Check the path (it is relative to the project folder), or remove `boundaries`.",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail(null, "the boundary file is not valid JSON.", "Save it as GeoJSON from your mapping tool.");
  }
  const parsed = BoundaryFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(
      issue ? formatKeyPath(issue.path) : null,
      `the boundary file is not a GeoJSON FeatureCollection of district polygons (${issue?.message ?? "unknown shape"}).`,
      "Each feature needs a Polygon or MultiPolygon geometry and an `id` property equal to a district id.",
    );
  }
  const ids = new Set(config.districts.map((d) => d.id));
  const errors: ConfigError[] = parsed.data.features
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => !ids.has(f.properties.id))
    .map(({ f, i }) => ({
      file,
      line: null,
      key: `features[${i}].properties.id`,
      message: `\`${f.properties.id}\` is not a district id in c2c.config.yaml.`,
      fix: `Use one of: ${[...ids].join(", ") || "(no districts are configured)"}.`,
    }));
  if (errors.length > 0) throw new ProjectError(errors);
  return parsed.data.features.map((f) => ({
    type: "Feature",
    properties: { id: f.properties.id },
    geometry: f.geometry,
  }));
}
