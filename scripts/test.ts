// `npm test`: the whole suite, in order of cost. Typecheck and lint, unit and integration tests
// (PostgreSQL + the AWS emulator), the production build, then browser tests in Chromium.
// With DATABASE_URL, tests create throw-away databases on that server; without it, on the embedded
// PostgreSQL. The first failing stage stops the run.
//
// Exit status alone does not pass a test stage (it has been 0 over failed tests): vitest and
// Playwright each write a summary through our reporter (scripts/test-runner), and the stage fails
// unless it ran tests and none failed, was skipped, or erred outside a test. The output ends with
// each test stage's counts and the totals, "N passed, N failed, N skipped", on a line of its own.
// `npm test -- --only vitest` (or typecheck, lint, build, e2e) runs the stages named, comma-separated.
import { existsSync } from "node:fs";
import { countLines } from "./test-runner/counts";
import { runStage, type Stage, type StageResult } from "./test-runner/run-stage";

const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

const allStages: (Stage & { id: string })[] = [
  { id: "typecheck", name: "typecheck", command: ["npm", "run", "--silent", "typecheck"] },
  { id: "lint", name: "lint", command: ["npm", "run", "--silent", "lint"] },
  { id: "vitest", name: "unit + integration", command: ["npx", "vitest", "run"], testRunner: true },
  { id: "build", name: "build", command: ["npm", "run", "--silent", "build"] },
  // React's server condition lets the specs load product modules marked server-only.
  { id: "e2e", name: "browser (e2e)", command: ["node", "--conditions=react-server", "node_modules/@playwright/test/cli.js", "test"], testRunner: true },
];

const onlyArg = process.argv.indexOf("--only");
const only = onlyArg > 0 ? (process.argv[onlyArg + 1] ?? "").split(",") : null;
const unknown = only?.filter((id) => !allStages.some((stage) => stage.id === id)) ?? [];
if (unknown.length > 0 || only?.length === 0) {
  console.error(`test: --only takes stage names from: ${allStages.map((stage) => stage.id).join(", ")}`);
  process.exit(2);
}
const stages = only ? allStages.filter((stage) => only.includes(stage.id)) : allStages;

async function main(): Promise<boolean> {
  console.log(`test: database: ${process.env.DATABASE_URL ? "the server at DATABASE_URL" : "embedded PostgreSQL (DATABASE_URL is not set)"}`);
  console.log(
    `test: browser: ${existsSync("/usr/bin/chromium") ? "Debian Chromium (/usr/bin/chromium)" : "Playwright's own Chromium (run `npx playwright install chromium` once)"}`,
  );

  const results: StageResult[] = [];
  for (const stage of stages) {
    console.log(`\n=== ${stage.name}: ${stage.command.join(" ")}`);
    const result = await runStage(stage, { env });
    results.push(result);
    for (const note of result.verdict.notes) console.log(`test: ${stage.name}: ${note}`);
    if (!result.verdict.passed) break;
  }

  const failure = results.find((result) => !result.verdict.passed);
  const timings = results.map((result) => `${result.stage.name} ${result.seconds.toFixed(1)}s`).join(", ");
  if (failure) console.error(`\ntest: ${failure.message} (${timings})`);
  else console.log(`\ntest: all stages passed (${timings})`);
  for (const line of countLines(stages, results)) console.log(line);
  return !failure;
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
