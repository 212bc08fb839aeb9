// The preflight's report as a plain-text table: check, pass or FAIL, and the note or fix.
import type { PreflightResult } from "./preflight-result";

export function preflightTable(results: PreflightResult[]): string {
  const rows = results.map((r) => [r.group, r.check, r.ok ? "pass" : "FAIL", [r.note, r.fix && `fix: ${r.fix}`].filter(Boolean).join("; ")]);
  const header = ["group", "check", "result", "note / fix"];
  const widths = [0, 1, 2].map((i) => Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w)).concat("----------")), ...rows.map(line)].join("\n");
}
