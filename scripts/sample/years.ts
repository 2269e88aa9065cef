/** The sample's five years of partner files. */
export const YEARS = [2021, 2022, 2023, 2024, 2025] as const;

/** `2024-25` for the school year ending in 2025. */
export function schoolYear(year: number): string {
  return `${year - 1}-${String(year % 100).padStart(2, "0")}`;
}
