/** The Wilson score interval for a proportion: well behaved near 0%, 100% and on small counts. */
export function wilsonInterval(
  numerator: number,
  denominator: number,
  z = 1.959963984540054,
): { lower: number; upper: number } | null {
  if (denominator <= 0 || numerator < 0 || numerator > denominator) return null;
  const p = numerator / denominator;
  const z2 = z * z;
  const centre = (p + z2 / (2 * denominator)) / (1 + z2 / denominator);
  const half =
    (z / (1 + z2 / denominator)) * Math.sqrt((p * (1 - p)) / denominator + z2 / (4 * denominator * denominator));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}
