import { compile, type TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import { fitContainerWidth, groupChartSpec, mapChartSpec, wrapLabel } from "./charts.ts";

const quiet = {
  logger: {
    level: () => quiet.logger,
    error: () => quiet.logger,
    warn: () => quiet.logger,
    info: () => quiet.logger,
    debug: () => quiet.logger,
  },
};

/** Vega-Lite's own compile for `width: "container"`, with the fallback width it would use set to ours. */
function containerCompile(spec: object, fallback: number) {
  const text = JSON.stringify(
    compile({ ...spec, width: "container" } as TopLevelSpec, quiet as unknown as Parameters<typeof compile>[1]).spec,
  );
  return JSON.parse(text.replaceAll(": 300", `: ${fallback}`));
}

describe("fitContainerWidth", () => {
  const values = [
    { x: 2021, y: 0.4, g: "a" },
    { x: 2022, y: 0.45, g: "b" },
  ];
  it("gives what Vega-Lite compiles for a container width, for a layered line chart", () => {
    const spec = {
      height: 200,
      data: { values },
      layer: [
        {
          mark: "line",
          encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
        },
        {
          mark: "text",
          encoding: {
            x: { field: "x", type: "quantitative" },
            y: { field: "y", type: "quantitative" },
            text: { field: "g" },
          },
        },
      ],
    };
    const fixed = compile({ ...spec, width: 520 } as TopLevelSpec).spec;
    expect(fitContainerWidth(fixed)).toEqual(containerCompile(spec, 520));
  });

  it("and for bars with a height per bar", () => {
    const spec = {
      height: { step: 30 },
      autosize: { type: "fit-x", contains: "padding" },
      data: { values },
      mark: "bar",
      encoding: { y: { field: "g", type: "nominal" }, x: { field: "y", type: "quantitative" } },
    };
    const fixed = compile({ ...spec, width: 420, autosize: undefined } as unknown as TopLevelSpec).spec;
    expect(fitContainerWidth(fixed)).toEqual(containerCompile(spec, 420));
  });
});

describe("wrapLabel", () => {
  it("breaks a long name between words into lines the axis holds, and leaves a short one whole", () => {
    expect(wrapLabel("American Indian or Alaska Native")).toEqual(["American Indian or", "Alaska Native"]);
    expect(wrapLabel("Native Hawaiian or Pacific Islander")).toEqual(["Native Hawaiian or", "Pacific Islander"]);
    expect(wrapLabel("White")).toEqual(["White"]);
    expect(wrapLabel("Two or more races")).toEqual(["Two or more races"]);
    expect(wrapLabel("  spaced   out  ", 6)).toEqual(["spaced", "out"]);
    // A word longer than a line stays whole on its own line.
    expect(wrapLabel("a Kindergartenvorbereitung b", 10)).toEqual(["a", "Kindergartenvorbereitung", "b"]);
    expect(wrapLabel("")).toEqual([""]);
  });
});

describe("mapChartSpec", () => {
  const area = (geo_id: string, name: string, value: number) => ({
    geo_id,
    name,
    year: 2025,
    value,
    lower: null,
    upper: null,
    valueText: `${Math.round(value * 100)}%`,
    longitude: 0,
    latitude: 0,
  });
  const spec = (a: number, b: number) =>
    JSON.parse(
      JSON.stringify(
        mapChartSpec({
          text: { loc: { s: { charts: { district: "District", value: "Value" } } }, confidence: "95%" } as never,
          description: "d",
          features: [],
          areas: [area("a", "Riverside Unified School District", a), area("b", "Cedar Hills", b)],
        }),
      ),
    ) as {
      layer: {
        data: { values: { shade?: number; nameAbove?: string; nameLast?: string }[] };
        encoding?: { color?: { scale: { domain: number[] } } };
      }[];
    };

  it("colours districts that read the same alike, on a scale in steps of ten points", () => {
    const s = spec(0.887, 0.893);
    const shaded = s.layer.find((l) => l.encoding?.color)!;
    expect(shaded.encoding!.color!.scale.domain).toEqual([0.8, 0.9]);
    const shades = s.layer.at(-1)!.data.values.map((v) => v.shade);
    expect(shades).toEqual([0.89, 0.89]);
    expect(spec(0.42, 0.61).layer.find((l) => l.encoding?.color)!.encoding!.color!.scale.domain).toEqual([0.4, 0.7]);
  });

  it("puts a long district name on two lines above its figure", () => {
    const values = spec(0.5, 0.6).layer.at(-1)!.data.values;
    expect(values[0]).toMatchObject({ nameAbove: "Riverside Unified", nameLast: "School District" });
    expect(values[1]).toMatchObject({ nameAbove: "", nameLast: "Cedar Hills" });
  });
});

describe("groupChartSpec", () => {
  it("draws everyone's dashed line under the printed figures, each on a white outline", () => {
    const bar = (label: string, value: number | null) => ({
      group: label,
      label,
      value,
      lower: value,
      upper: value,
      colour: "#000",
      note: value === null ? "Hidden *" : "",
    });
    const spec = groupChartSpec({
      text: {
        loc: { s: { charts: { group: "Group", value: "Value", intervalFrom: "from", intervalTo: "to", all: "All" } } },
        confidence: "95%",
      } as never,
      description: "d",
      bars: [bar("A", 0.35), bar("B", null)],
      overall: { value: 0.36, label: "All: 36%" },
    }) as unknown as { layer: { mark: { type: string; stroke?: string; strokeDash?: number[] } }[] };
    const kinds = spec.layer.map((l) =>
      l.mark.strokeDash ? "overall" : l.mark.stroke === "white" ? "halo" : l.mark.type,
    );
    expect(kinds).toEqual(["bar", "rule", "overall", "halo", "text", "halo", "text"]);
  });
});
