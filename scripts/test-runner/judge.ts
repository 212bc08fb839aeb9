// Whether a stage passed. A test runner's exit status alone has lied (an embedded database once set
// it back to 0 at shutdown over 5 failed tests), so a test stage must also show, in its summary,
// that it ran tests, that all of them passed, and that none was skipped.
import type { SummaryReading } from "./summary";

export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

/** reasons: why the stage failed (none: it passed); notes: worth saying, not failing. */
export type Verdict = { passed: boolean; reasons: string[]; notes: string[] };

/** Summaries are judged when given: always for test runners, never for other stages. */
export function judge(exit: ExitStatus, reading?: SummaryReading): Verdict {
  const reasons = reading ? summaryReasons(reading) : [];
  if (exit.signal) reasons.push(`killed by ${exit.signal}`);
  else if (exit.code !== 0) reasons.push(`exited with status ${exit.code}`);
  const flaky = reading && "summary" in reading ? reading.summary.flaky : [];
  const notes = flaky.length ? [`${flaky.length} flaky (passed on a retry): ${listed(flaky)}`] : [];
  return { passed: reasons.length === 0, reasons, notes };
}

function summaryReasons(reading: SummaryReading): string[] {
  if ("problem" in reading) return [reading.problem];
  const { status, passed, failed, skipped, unhandledErrors } = reading.summary;
  const reasons: string[] = [];
  if (failed.length) reasons.push(`${failed.length} failed: ${listed(failed)}`);
  if (unhandledErrors.length) reasons.push(`${unhandledErrors.length} unhandled error(s): ${listed(unhandledErrors, 3)}`);
  if (passed + failed.length === 0) reasons.push("ran no tests");
  if (skipped.length) reasons.push(`${skipped.length} skipped (the suite must skip none): ${listed(skipped)}`);
  // "failed" is already explained above unless nothing else was found.
  if (status !== "passed" && (status !== "failed" || reasons.length === 0)) reasons.push(`the run ended as ${status}`);
  return reasons;
}

function listed(items: string[], limit = 10): string {
  const more = items.length > limit ? `, and ${items.length - limit} more` : "";
  return items.slice(0, limit).join(", ") + more;
}

export function describeVerdict(stageName: string, verdict: Verdict, seconds: number): string {
  const time = `${seconds.toFixed(1)}s`;
  return verdict.passed ? `${stageName} passed in ${time}` : `${stageName} failed after ${time}: ${verdict.reasons.join("; ")}`;
}
