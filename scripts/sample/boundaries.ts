/**
 * The districts' outlines: two made-up polygons side by side along a fictional valley (longitude and
 * latitude; exterior rings clockwise, as d3-geo and so Vega expect).
 */
const SHARED_BORDER = [
  [-100.02, 40.16],
  [-100.05, 40.08],
  [-100.01, 39.99],
  [-100.04, 39.9],
];
export const BOUNDARIES_GEOJSON = `${JSON.stringify(
  {
    type: "FeatureCollection",
    features: [
      {
        type: "Feature",
        properties: { id: "riverside", name: "Riverside Unified School District" },
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [-100.36, 40.13],
              [-100.2, 40.19],
              ...SHARED_BORDER,
              [-100.17, 39.86],
              [-100.33, 39.91],
              [-100.38, 40.02],
              [-100.36, 40.13],
            ],
          ],
        },
      },
      {
        type: "Feature",
        properties: { id: "cedar-hills", name: "Cedar Hills School District" },
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              ...SHARED_BORDER.slice(0, 1),
              [-99.85, 40.21],
              [-99.7, 40.12],
              [-99.72, 39.94],
              [-99.86, 39.86],
              ...[...SHARED_BORDER].reverse(),
            ],
          ],
        },
      },
    ],
  },
  null,
  1,
)}\n`;
