import type { Indicator } from "../../../schemas/index.ts";

/** `0.4712` → `47%`. Whole percents: the intervals are wider than a decimal place. */
export function formatPercent(share: number | null): string {
  if (share === null) return "";
  return `${Math.round(share * 100)}%`;
}

/** `0.032` → `+3 points`; `-0.004` → `0 points`. */
export function formatPoints(change: number | null): string {
  if (change === null) return "";
  const points = Math.round(change * 100);
  if (points === 0) return "0 points";
  const sign = points > 0 ? "+" : "−";
  return `${sign}${Math.abs(points)} ${Math.abs(points) === 1 ? "point" : "points"}`;
}

/** Counts with thousands separators, the same in every locale the build runs in. */
export function formatCount(n: number | null): string {
  if (n === null) return "";
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** How a year reads: `2024–25` for the school year ending in 2025, `2025` for a calendar year. */
export function formatYear(year: number, yearType: Indicator["yearType"]): string {
  if (yearType === "calendar") return String(year);
  return `${year - 1}–${String(year % 100).padStart(2, "0")}`;
}

/** The interval as a range, `44%–50%`. */
export function formatInterval(lower: number | null, upper: number | null): string {
  if (lower === null || upper === null) return "";
  return `${formatPercent(lower)}–${formatPercent(upper)}`;
}
