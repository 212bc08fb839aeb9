import { describe, expect, it } from "vitest";
import { csvRow } from "@/lib/csv/write-csv";

/** A strict RFC 4180 reader, to check that what is written reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted cell");
        if (text.startsWith('""', i)) {
          cell += '"';
          i += 2;
        } else if (text[i] === '"') break;
        else cell += text[i++];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r") {
        if (text[i] === '"' || text[i] === "\n") throw new Error(`bare ${JSON.stringify(text[i])} in an unquoted cell`);
        cell += text[i++];
      }
    }
    record.push(cell);
    if (text[i] === ",") i++;
    else if (text.startsWith("\r\n", i)) {
      records.push(record);
      record = [];
      i += 2;
    } else throw new Error(`unexpected ${JSON.stringify(text[i])} after a cell`);
  }
  if (record.length > 0) throw new Error("last record is not CRLF-terminated");
  return records;
}

describe("csvRow", () => {
  it("joins plain cells with commas and ends the record with CRLF", () => {
    expect(csvRow(["at", "actor label", "action"])).toBe("at,actor label,action\r\n");
  });

  it("writes null and undefined as empty cells and numbers as they are, negative ones too", () => {
    expect(csvRow([null, "x", undefined, 42, -1.5])).toBe(",x,,42,-1.5\r\n");
  });

  it("quotes cells holding a comma, a quote or a line break, doubling the quotes", () => {
    expect(csvRow(["a,b", 'say "hi"', "two\nlines", "cr\rhere"])).toBe('"a,b","say ""hi""","two\nlines","cr\rhere"\r\n');
    expect(csvRow([JSON.stringify({ reason: "a, b" })])).toBe('"{""reason"":""a, b""}"\r\n');
  });

  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "=HYPERLINK(\"http://x\")"])(
    "neutralises the formula-looking text %j with a leading apostrophe",
    (value) => {
      expect(parseCsv(csvRow([value]))).toEqual([[`'${value}`]]);
    },
  );

  it("neutralises a cell starting with CR and still quotes it", () => {
    expect(csvRow(["\r=1"])).toBe(`"'\r=1"\r\n`);
  });

  it("leaves formula characters alone when they are not the first character", () => {
    expect(csvRow(["a=b", "x-y", "me@example.com"])).toBe("a=b,x-y,me@example.com\r\n");
  });

  it("reads back as the same cells through an RFC 4180 reader", () => {
    const rows = [
      ["plain", "", "with space", "a,b,c"],
      ['"quoted"', "line\r\nbreak", "ünïcødé ✓", "trailing,"],
    ];
    expect(parseCsv(rows.map(csvRow).join(""))).toEqual(rows);
  });
});
