// `npm test` must not report green over a failure. These run the runner's own stage code against
// throw-away vitest projects, each showing one way a run can look fine by its exit status alone.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { judge } from "@/scripts/test-runner/judge";
import { runStage, type StageResult } from "@/scripts/test-runner/run-stage";
import { readSummary, type TestSummary } from "@/scripts/test-runner/summary";

const repo = path.resolve(import.meta.dirname, "../..");
// Inside the repository, where a project's files resolve our vitest.
const cacheDir = path.join(repo, "node_modules/.cache");
mkdirSync(cacheDir, { recursive: true });
const projectsDir = mkdtempSync(path.join(cacheDir, "pullgate-test-runner-"));
afterAll(() => rmSync(projectsDir, { recursive: true, force: true }));
const reporter = path.join(repo, "scripts/test-runner/vitest-summary-reporter.ts");
// `npm test` says `npx vitest run`; calling the binary itself spares each case npx's start-up.
const stage = { name: "throw-away vitest", command: [path.join(repo, "node_modules/.bin/vitest"), "run"], testRunner: true };

/** Files of a vitest project (globals on, so tests need no import), run through the stage runner. */
function runProject(files: Record<string, string>, config: Record<string, unknown> = {}): Promise<StageResult> {
  const dir = mkdtempSync(path.join(projectsDir, "project-"));
  // One worker thread: these runs are tiny, and a forked worker would only add start-up.
  const test = { globals: true, include: ["*.test.js"], pool: "threads", maxWorkers: 1, reporters: ["default", reporter], ...config };
  writeFileSync(path.join(dir, "vitest.config.mjs"), `export default ${JSON.stringify({ test })};\n`);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return runStage(stage, { cwd: dir, quiet: true });
}

const passing = 'test("adds", () => expect(1 + 1).toBe(2));\n';

describe("a vitest stage", { timeout: 60_000 }, () => {
  it.concurrent("passes when every test passes", async () => {
    const result = await runProject({ "a.test.js": passing, "b.test.js": passing });
    expect(result.message).toMatch(/^throw-away vitest passed in/);
    expect(result.summary?.passed).toBe(2);
  });

  it.concurrent("fails on a failing test, naming it", async () => {
    const result = await runProject({ "a.test.js": passing, "b.test.js": 'test("subtracts", () => expect(2 - 1).toBe(0));\n' });
    expect(result.verdict.passed).toBe(false);
    expect(result.message).toContain("1 failed: b.test.js > subtracts");
  });

  it.concurrent("fails on an unhandled rejection beside passing tests", async () => {
    const result = await runProject({ "a.test.js": 'test("forgets a promise", () => { Promise.reject(new Error("stray rejection")); });\n' });
    expect(result.verdict.passed).toBe(false);
    expect(result.message).toContain("1 unhandled error(s): stray rejection");
  });

  it.concurrent("fails when a file holds no test", async () => {
    // Without passWithNoTests vitest would fail the file itself; with it, the run "passes".
    const result = await runProject({ "a.test.js": "// nothing here yet\n" }, { passWithNoTests: true });
    expect(result.exit.code).toBe(0);
    expect(result.message).toContain("ran no tests");
  });

  it.concurrent("fails when a test is skipped, naming it", async () => {
    const result = await runProject({ "a.test.js": `${passing}test.skip("later", () => {});\ntest.todo("someday");\n` });
    expect(result.exit.code).toBe(0);
    expect(result.message).toContain("2 skipped (the suite must skip none): a.test.js > later, a.test.js > someday (todo)");
  });

  it.concurrent("fails when the process exits 0 over a failed test", async () => {
    // As an embedded database once did at shutdown.
    const result = await runProject(
      { "a.test.js": 'test("fails", () => expect(true).toBe(false));\n', "setup.js": 'export default () => { process.on("exit", () => { process.exitCode = 0; }); };\n' },
      { globalSetup: ["./setup.js"] },
    );
    expect(result.exit).toEqual({ code: 0, signal: null });
    expect(result.message).toContain("1 failed: a.test.js > fails");
  });

  it.concurrent("fails when the run crashes before it reports, even with status 0", async () => {
    const result = await runProject({ "a.test.js": passing, "setup.js": "export default () => { process.exit(0); };\n" }, { globalSetup: ["./setup.js"] });
    expect(result.exit.code).toBe(0);
    expect(result.message).toContain("wrote no test summary");
  });
});

describe("judging", () => {
  const clean = { code: 0, signal: null };
  const summary = (overrides: Partial<TestSummary>): { summary: TestSummary } => ({
    summary: { runner: "playwright", status: "passed", passed: 3, failed: [], skipped: [], flaky: [], unhandledErrors: [], ...overrides },
  });

  it("judges a stage without a summary by its exit status", () => {
    expect(judge(clean).passed).toBe(true);
    expect(judge({ code: 2, signal: null }).reasons).toEqual(["exited with status 2"]);
    expect(judge({ code: null, signal: "SIGKILL" }, { problem: "wrote no test summary" }).reasons).toEqual(["wrote no test summary", "killed by SIGKILL"]);
  });

  it("takes a cut-off summary for a failure, not for a pass", () => {
    const file = path.join(projectsDir, "cut-off.json");
    writeFileSync(file, '{"runner": "vitest", "status": "pass');
    expect(judge(clean, readSummary(file)).reasons).toEqual([`wrote an unreadable test summary (${file})`]);
  });

  it("passes a clean Playwright run", () => {
    expect(judge(clean, summary({}))).toEqual({ passed: true, reasons: [], notes: [] });
  });

  it("fails a failed test, naming it", () => {
    const verdict = judge({ code: 1, signal: null }, summary({ status: "failed", passed: 2, failed: ["chromium > journey.spec.ts > a customer buys"] }));
    expect(verdict.reasons).toEqual(["1 failed: chromium > journey.spec.ts > a customer buys", "exited with status 1"]);
  });

  it("fails an interrupted or timed-out run even when its tests passed", () => {
    expect(judge(clean, summary({ status: "interrupted" })).reasons).toEqual(["the run ended as interrupted"]);
    expect(judge(clean, summary({ status: "timedout" })).reasons).toEqual(["the run ended as timedout"]);
  });

  it("fails a run that failed outside any test", () => {
    const verdict = judge(clean, summary({ status: "failed", passed: 0, unhandledErrors: ["Timed out waiting 120000ms from config.webServer."] }));
    expect(verdict.reasons).toEqual(["1 unhandled error(s): Timed out waiting 120000ms from config.webServer.", "ran no tests"]);
  });

  it("fails a run with no tests", () => {
    expect(judge(clean, summary({ passed: 0 })).reasons).toEqual(["ran no tests"]);
  });

  it("passes a run whose only blemish is a flaky test, and says so", () => {
    const verdict = judge(clean, summary({ flaky: ["chromium > keyboard.spec.ts > tabs through the menu"] }));
    expect(verdict).toEqual({ passed: true, reasons: [], notes: ["1 flaky (passed on a retry): chromium > keyboard.spec.ts > tabs through the menu"] });
  });

  it("lists at most ten skipped tests", () => {
    const skipped = Array.from({ length: 12 }, (_, i) => `chromium > admin-pages.spec.ts > page ${i + 1}`);
    const [reason] = judge(clean, summary({ skipped })).reasons;
    expect(reason).toMatch(/^12 skipped \(the suite must skip none\): .*page 10, and 2 more$/);
  });
});
