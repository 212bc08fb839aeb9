// The closing lines of `npm test`: what each test stage ran, then the totals, in plain words that a
// reader of the output can judge without trusting the exit status either.
import type { Stage, StageResult } from "./run-stage";

type Counts = { passed: number; failed: number; skipped: number };

const counted = ({ passed, failed, skipped }: Counts) => `${passed} passed, ${failed} failed, ${skipped} skipped`;

export function countLines(stages: Stage[], results: StageResult[]): string[] {
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  const lines = stages
    .filter((stage) => stage.testRunner)
    .map((stage) => {
      const result = results.find((r) => r.stage === stage);
      if (!result) return `${stage.name}: not run`;
      if (!result.summary) return `${stage.name}: no test summary`;
      const counts = { passed: result.summary.passed, failed: result.summary.failed.length, skipped: result.summary.skipped.length };
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
      return `${stage.name}: ${counted(counts)}`;
    });
  return [...lines, counted(totals)];
}
