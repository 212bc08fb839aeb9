// Vitest reporter (next to `default`) that writes the run's TestSummary for `npm test` to judge.
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from "vitest/node";
import { firstLine, writeSummary, type TestSummary } from "./summary";

export default class VitestSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const summary: TestSummary = { runner: "vitest", status: reason, passed: 0, failed: [], skipped: [], flaky: [], unhandledErrors: [] };
    for (const testModule of testModules) {
      const file = testModule.relativeModuleId;
      // A file that failed to load, or a failing beforeAll/afterAll, fails outside any test.
      for (const entity of [testModule, ...testModule.children.allSuites()]) {
        const name = entity.type === "module" ? file : `${file} > ${entity.fullName}`;
        for (const error of entity.errors()) summary.failed.push(`${name}: ${firstLine(error.message)}`);
      }
      for (const testCase of testModule.children.allTests()) {
        const name = `${file} > ${testCase.fullName}`;
        const state = testCase.result().state;
        if (state === "passed") summary.passed++;
        else if (state === "skipped") summary.skipped.push(testCase.options.mode === "todo" ? `${name} (todo)` : name);
        else summary.failed.push(state === "failed" ? name : `${name} (did not finish)`);
      }
    }
    summary.unhandledErrors = unhandledErrors.map((error) => firstLine(error.message));
    writeSummary(summary);
  }
}
