import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../../schemas/index.ts";
import { memoryEffects } from "../../effects-memory.ts";
import { ProjectError } from "../../load/config-error.ts";
import { loadBoundaries } from "./load-boundaries.ts";

const config = (boundaries?: string) =>
  ConfigSchema.parse({
    partnership: { name: "P", introduction: "I" },
    community: { id: "c", name: "C" },
    districts: [{ id: "north", name: "North" }],
    ...(boundaries ? { boundaries } : {}),
  });

const square = (id: string) => ({
  type: "Feature",
  properties: { id, name: "kept out of the site" },
  geometry: {
    type: "Polygon",
    coordinates: [
      [
        [0, 1],
        [1, 1],
        [1, 0],
        [0, 0],
        [0, 1],
      ],
    ],
  },
});

async function errorsOf(promise: Promise<unknown>): Promise<[string, string | null][]> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ProjectError) return e.errors.map((x) => [x.file, x.key]);
    throw e;
  }
  return [];
}

describe("loadBoundaries", () => {
  it("is null when the config names no boundary file", async () => {
    expect(await loadBoundaries("/p", config(), memoryEffects())).toBeNull();
  });

  it("keeps each district's outline and id, and nothing else from the file", async () => {
    const effects = memoryEffects({
      "/p/maps/d.geojson": JSON.stringify({ type: "FeatureCollection", features: [square("north")] }),
    });
    const features = await loadBoundaries("/p", config("maps/d.geojson"), effects);
    expect(features?.map((f) => f.properties)).toEqual([{ id: "north" }]);
  });

  it("names the file and the feature whose id is not a district", async () => {
    const effects = memoryEffects({
      "/p/d.geojson": JSON.stringify({ type: "FeatureCollection", features: [square("north"), square("nrth")] }),
    });
    expect(await errorsOf(loadBoundaries("/p", config("d.geojson"), effects))).toEqual([
      ["d.geojson", "features[1].properties.id"],
    ]);
  });

  it("reports a missing file, bad JSON and a shape that is not GeoJSON polygons", async () => {
    const effects = memoryEffects({
      "/p/bad.json": "{",
      "/p/points.geojson": JSON.stringify({
        type: "FeatureCollection",
        features: [{ type: "Feature", properties: { id: "north" }, geometry: { type: "Point", coordinates: [0, 0] } }],
      }),
    });
    expect(await errorsOf(loadBoundaries("/p", config("none.geojson"), effects))).toEqual([["none.geojson", null]]);
    expect(await errorsOf(loadBoundaries("/p", config("bad.json"), effects))).toEqual([["bad.json", null]]);
    const [[file, key] = ["", ""]] = await errorsOf(loadBoundaries("/p", config("points.geojson"), effects));
    expect([file, key]).toEqual(["points.geojson", "features[0].geometry.type"]);
  });
});
