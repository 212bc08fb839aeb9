// The machine-readable result a test run leaves behind, written by our reporters (vitest and
// Playwright) so that `npm test` can judge a run by what it did, not by its exit status alone.
import { readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";

/** Where the runner asks the reporters to write; unset (a direct `vitest`/`playwright` run), nothing is written. */
export const SUMMARY_PATH_ENV = "PULLGATE_TEST_SUMMARY";

const testSummarySchema = z.object({
  runner: z.enum(["vitest", "playwright"]),
  /** The run's own verdict: vitest's end reason or Playwright's FullResult status. */
  status: z.enum(["passed", "failed", "interrupted", "timedout"]),
  /** Tests that passed, on the first attempt or on a retry. */
  passed: z.number().int().nonnegative(),
  /** Full names of failed tests, and of files or suites that failed outside any test (load errors, hooks). */
  failed: z.array(z.string()),
  /** Full names of skipped and todo tests. */
  skipped: z.array(z.string()),
  /** Full names of the passed tests that needed a retry (reported, not failing). */
  flaky: z.array(z.string()),
  /** First lines of errors raised outside any test (unhandled rejections, worker crashes). */
  unhandledErrors: z.array(z.string()),
});

export type TestSummary = z.infer<typeof testSummarySchema>;

export function writeSummary(summary: TestSummary): void {
  const path = process.env[SUMMARY_PATH_ENV];
  // Synchronously: the process may exit as soon as the reporter returns.
  if (path) writeFileSync(path, JSON.stringify(summary, null, 2));
}

export type SummaryReading = { summary: TestSummary } | { problem: string };

export function readSummary(path: string): SummaryReading {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { problem: "wrote no test summary (did it crash before its reporter ran?)" };
  }
  try {
    return { summary: testSummarySchema.parse(JSON.parse(text)) };
  } catch {
    return { problem: `wrote an unreadable test summary (${path})` };
  }
}

/** An error's first line: enough to recognise it in one line of output. */
export function firstLine(message: string | undefined): string {
  return (message ?? "unknown error").trim().split("\n")[0] ?? "";
}
