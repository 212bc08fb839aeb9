// Playwright reporter (next to `list`) that writes the run's TestSummary for `npm test` to judge.
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError } from "@playwright/test/reporter";
import { firstLine, writeSummary, type TestSummary } from "./summary";

export default class PlaywrightSummaryReporter implements Reporter {
  private root: Suite | undefined;
  private readonly errors: string[] = [];

  onBegin(_config: FullConfig, suite: Suite): void {
    this.root = suite;
  }

  /** Errors outside any test: a global setup or the web server failing, a worker crashing. */
  onError(error: TestError): void {
    this.errors.push(firstLine(error.message ?? error.value));
  }

  onEnd(result: FullResult): void {
    const summary: TestSummary = { runner: "playwright", status: result.status, passed: 0, failed: [], skipped: [], flaky: [], unhandledErrors: this.errors };
    // Judged per test, over all its retries, rather than per attempt as onTestEnd sees them.
    for (const test of this.root?.allTests() ?? []) {
      switch (test.outcome()) {
        case "flaky":
          summary.flaky.push(nameOf(test));
          summary.passed++;
          break;
        case "expected":
          summary.passed++;
          break;
        case "skipped":
          summary.skipped.push(nameOf(test));
          break;
        case "unexpected":
          summary.failed.push(nameOf(test));
      }
    }
    writeSummary(summary);
  }
}

/** "chromium > journey.spec.ts > a customer buys", as the list reporter names it. */
function nameOf(test: TestCase): string {
  return test.titlePath().filter(Boolean).join(" > ");
}
