import { AppError } from "@/lib/errors";

// Reading uploaded CSV (RFC 4180): quoted cells may hold commas, doubled quotes and line breaks.
// Lenient where spreadsheets differ harmlessly (LF or CRLF line ends, a UTF-8 byte-order mark, no
// final line break, blank lines); strict where a mistake would shift cells: a stray quote is an error.

export type CsvRecord = {
  /** The line the record starts on, counting from 1, for messages that point into the file. */
  line: number;
  cells: string[];
  /** The record as written in the file, without its line break. */
  text: string;
};

const invalid = (line: number, message: string) => new AppError("INVALID_INPUT", `Line ${line}: ${message}`);

/** The non-blank records, read one at a time so a caller can stop early (at a size limit). */
export function* readCsv(input: string): Generator<CsvRecord, void, undefined> {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = i;
    const startLine = line;
    const cells: string[] = [];
    for (;;) {
      let cell = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw invalid(startLine, "a quoted cell is never closed");
          if (text[i] === '"') {
            if (text[i + 1] !== '"') break;
            cell += '"';
            i += 2;
          } else {
            if (text[i] === "\n") line++;
            cell += text[i++];
          }
        }
        i++;
        if (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
          throw invalid(line, "a closing quote must end its cell; write a quote inside a quoted cell as two quotes");
        }
      } else {
        while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
          if (text[i] === '"') throw invalid(line, "a quote inside a cell that does not start with one; quote the whole cell");
          cell += text[i++];
        }
      }
      cells.push(cell);
      if (text[i] !== ",") break;
      i++;
    }
    const end = i;
    if (text.startsWith("\r\n", i)) i += 2;
    else if (text[i] === "\r" || text[i] === "\n") i++;
    line++;
    if (end > start) yield { line: startLine, cells, text: text.slice(start, end) };
  }
}

export type CsvRow<Column extends string> = { line: number; text: string; values: Partial<Record<Column, string>> };

type TableShape<Column extends string> = { required: readonly Column[]; optional: readonly Column[]; maxRows: number };

/**
 * A CSV whose first record names its columns (any order, any letter case). Every required column
 * must be there and every column must be known, so a misspelt header is an error rather than a
 * silently ignored column. Values are trimmed; an empty cell is left out.
 */
export function readCsvTable<Column extends string>(input: string, shape: TableShape<Column>): CsvRow<Column>[] {
  const reader = readCsv(input);
  const header = reader.next().value;
  const known = [...shape.required, ...shape.optional];
  const expected = `the columns are ${known.join(", ")}${shape.optional.length > 0 ? ` (${shape.optional.join(", ")} optional)` : ""}`;
  if (!header) throw new AppError("INVALID_INPUT", `The file is empty: its first line must name the columns; ${expected}`);
  const columns = header.cells.map((cell) => {
    const name = known.find((c) => c.toLowerCase() === cell.trim().toLowerCase());
    if (!name) throw invalid(header.line, `unknown column "${cell.trim()}"; the first line must name the columns, and ${expected}`);
    return name;
  });
  const duplicate = columns.find((c, index) => columns.indexOf(c) !== index);
  if (duplicate) throw invalid(header.line, `the column ${duplicate} is named twice`);
  const missing = shape.required.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw invalid(header.line, `the header lacks ${missing.join(", ")}; ${expected}`);

  const rows: CsvRow<Column>[] = [];
  for (const { line, cells, text } of reader) {
    if (rows.length === shape.maxRows) throw new AppError("INVALID_INPUT", `The file has more than ${shape.maxRows.toLocaleString("en-US")} rows; split it`);
    if (cells.length !== columns.length) throw invalid(line, `${cells.length} cells where the header names ${columns.length}`);
    const values: Partial<Record<Column, string>> = {};
    columns.forEach((column, index) => {
      const value = cells[index]!.trim();
      if (value) values[column] = value;
    });
    rows.push({ line, text, values });
  }
  if (rows.length === 0) throw new AppError("INVALID_INPUT", "The file has a header but no rows");
  return rows;
}
