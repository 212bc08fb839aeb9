// `npm test`: the whole suite, in order of cost. Typecheck and lint, unit and integration tests
// (PostgreSQL + the AWS emulator), the production build, then browser tests in Chromium.
// With DATABASE_URL, tests create throw-away databases on that server; without it they use the
// embedded PostgreSQL and skip what needs several database sessions (and say so).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

type Stage = { name: string; command: string[]; env?: Record<string, string> };

const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

const stages: Stage[] = [
  { name: "typecheck", command: ["npm", "run", "--silent", "typecheck"] },
  { name: "lint", command: ["npm", "run", "--silent", "lint"] },
  { name: "unit + integration", command: ["npx", "vitest", "run"] },
  { name: "build", command: ["npm", "run", "--silent", "build"] },
  { name: "browser (e2e)", command: ["npx", "playwright", "test"] },
];

if (!process.env.DATABASE_URL) {
  console.log("test: DATABASE_URL is not set: using the embedded PostgreSQL; tests that need concurrent database sessions will be skipped.");
}
console.log(
  `test: browser: ${existsSync("/usr/bin/chromium") ? "Debian Chromium (/usr/bin/chromium)" : "Playwright's own Chromium (run `npx playwright install chromium` once)"}`,
);

const timings: string[] = [];
for (const stage of stages) {
  console.log(`\n=== ${stage.name}: ${stage.command.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(stage.command[0]!, stage.command.slice(1), { stdio: "inherit", env: { ...env, ...stage.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  timings.push(`${stage.name} ${seconds}s`);
  if (result.status !== 0) {
    console.error(`\ntest: ${stage.name} failed (exit ${result.status ?? result.signal}) after ${seconds}s`);
    process.exit(result.status || 1);
  }
}
console.log(`\ntest: all stages passed (${timings.join(", ")})`);
