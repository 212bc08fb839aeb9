// CSV for spreadsheets (RFC 4180). Exported cells are often opened in Excel or Sheets, where a
// cell starting with = + - @ or a tab/CR is run as a formula: such text gets a leading apostrophe.

export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  // A number is data, never a formula, even when negative.
  if (typeof value === "number") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
