/** A CSV file's text: a cell is quoted only where it must be, and every row ends with a newline. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${[header, ...rows].map((r) => r.map(cell).join(",")).join("\n")}\n`;
}
