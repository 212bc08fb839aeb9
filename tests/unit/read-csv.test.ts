import { describe, expect, it } from "vitest";
import { readCsv, readCsvTable } from "@/lib/csv/read-csv";
import { csvRow } from "@/lib/csv/write-csv";

const cells = (text: string) => [...readCsv(text)].map((r) => r.cells);
const customers = { required: ["email"], optional: ["product", "expiresAt"], maxRows: 3 } as const;

describe("readCsv", () => {
  it("splits records on CRLF, LF or CR, with or without a final line break", () => {
    expect(cells("a,b\r\nc,d\r\n")).toEqual([["a", "b"], ["c", "d"]]);
    expect(cells("a,b\nc,d")).toEqual([["a", "b"], ["c", "d"]]);
    expect(cells("a\rb\r")).toEqual([["a"], ["b"]]);
  });

  it("reads quoted cells holding commas, doubled quotes and line breaks", () => {
    expect(cells('"a,b","say ""hi""","two\r\nlines",""\r\nnext')).toEqual([["a,b", 'say "hi"', "two\r\nlines", ""], ["next"]]);
  });

  it("keeps empty cells, trailing ones too, and leaves spaces to the caller", () => {
    expect(cells(",x,, y ,")).toEqual([["", "x", "", " y ", ""]]);
  });

  it("skips blank lines and a UTF-8 byte-order mark", () => {
    expect(cells("\uFEFFemail\r\n\r\n\nme@example.com\n\n")).toEqual([["email"], ["me@example.com"]]);
  });

  it("numbers each record by the line it starts on, counting line breaks inside quotes", () => {
    const records = [...readCsv('h\n"multi\nline"\n\nlast')];
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(records.map((r) => r.text)).toEqual(["h", '"multi\nline"', "last"]);
  });

  it("reads back what csvRow writes", () => {
    const rows = [
      ["plain", "", "a,b", 'quote "x"'],
      ["line\nbreak", "ünïcødé ✓", "trailing,", "x"],
    ];
    expect(cells(rows.map(csvRow).join(""))).toEqual(rows);
  });

  it.each([
    ['a,"open\nb', /Line 1: a quoted cell is never closed/],
    ['a,"closed"x,b', /Line 1: a closing quote must end its cell/],
    ['ok\nab"c,d', /Line 2: a quote inside a cell that does not start with one/],
  ])("refuses the malformed %j with the line it is on", (text, message) => {
    expect(() => cells(text)).toThrow(message);
  });

  it("stops reading where the caller stops asking", () => {
    const reader = readCsv('first\n"never closed');
    expect(reader.next().value).toMatchObject({ cells: ["first"] });
    reader.return();
  });
});

describe("readCsvTable", () => {
  it("maps cells to the header's columns in any order and letter case, trimmed, empty ones left out", () => {
    const rows = readCsvTable("Product, EMAIL ,expiresat\r\nsuite, a@example.com ,\r\n,b@example.com,2027-01-31\r\n", customers);
    expect(rows).toEqual([
      { line: 2, text: "suite, a@example.com ,", values: { product: "suite", email: "a@example.com" } },
      { line: 3, text: ",b@example.com,2027-01-31", values: { email: "b@example.com", expiresAt: "2027-01-31" } },
    ]);
  });

  it.each([
    ["", /The file is empty/],
    ["\r\n\r\n", /The file is empty/],
    ["mail\na@example.com", /Line 1: unknown column "mail".*email, product, expiresAt \(product, expiresAt optional\)/],
    ["product\nsuite", /Line 1: the header lacks email/],
    ["email,Email\na,b", /Line 1: the column email is named twice/],
    ["email\n", /a header but no rows/],
    ["email,product\na@example.com\n", /Line 2: 1 cells where the header names 2/],
    ["email\na\nb\nc\nd", /more than 3 rows; split it/],
  ])("refuses %j", (text, message) => {
    expect(() => readCsvTable(text, customers)).toThrow(message);
  });

  it("accepts exactly the row limit", () => {
    expect(readCsvTable("email\na\nb\nc", customers)).toHaveLength(3);
  });
});
