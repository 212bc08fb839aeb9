// Runs one stage of `npm test` and judges it. A test-runner stage gets a fresh file to write its
// summary to (named in PULLGATE_TEST_SUMMARY), so a summary left by an earlier run can never stand in.
import { spawn, type StdioOptions } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describeVerdict, judge, type ExitStatus, type Verdict } from "./judge";
import { readSummary, SUMMARY_PATH_ENV, type TestSummary } from "./summary";

export type Stage = {
  name: string;
  command: string[];
  /** A vitest or Playwright run, whose reporters write a TestSummary. */
  testRunner?: boolean;
};

export type StageOptions = { cwd?: string; env?: NodeJS.ProcessEnv; quiet?: boolean };

export type StageResult = {
  stage: Stage;
  seconds: number;
  exit: ExitStatus;
  summary: TestSummary | undefined;
  verdict: Verdict;
  /** One line: the stage, passed or failed, and why. */
  message: string;
};

export async function runStage(stage: Stage, options: StageOptions = {}): Promise<StageResult> {
  const summaryDir = stage.testRunner ? mkdtempSync(path.join(tmpdir(), "pullgate-test-summary-")) : undefined;
  const summaryPath = summaryDir && path.join(summaryDir, "summary.json");
  try {
    const started = Date.now();
    const exit = await spawnCommand(stage.command, {
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), ...(summaryPath && { [SUMMARY_PATH_ENV]: summaryPath }) },
      stdio: options.quiet ? "ignore" : "inherit",
    });
    const seconds = (Date.now() - started) / 1000;
    const reading = summaryPath ? readSummary(summaryPath) : undefined;
    const verdict = judge(exit, reading);
    const summary = reading && "summary" in reading ? reading.summary : undefined;
    return { stage, seconds, exit, summary, verdict, message: describeVerdict(stage.name, verdict, seconds) };
  } finally {
    if (summaryDir) rmSync(summaryDir, { recursive: true, force: true });
  }
}

function spawnCommand(command: string[], options: { cwd?: string; env: NodeJS.ProcessEnv; stdio: StdioOptions }): Promise<ExitStatus> {
  const [file, ...args] = command;
  if (!file) throw new Error("a stage needs a command");
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, options);
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
}
