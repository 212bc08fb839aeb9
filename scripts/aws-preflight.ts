// `npm run aws:preflight -- --portal <portal user or role ARN>`: the go-live check, run with an
// administrator's credentials (the default chain) against the account the portal will use, with
// the portal's settings in the environment. With `--registry-account`, run instead in each other
// account holding repositories, with that account's administrator's credentials: it checks the
// role the account gives the portal. Prints one line per check; exit code 1 when any fails.
import { parseArgs } from "node:util";

async function main() {
  const { values } = parseArgs({ options: { portal: { type: "string" }, "registry-account": { type: "boolean", default: false } } });
  if (!values.portal) {
    console.error("usage: npm run aws:preflight -- [--registry-account] --portal <ARN of the portal's IAM user or role>");
    return 2;
  }
  // The table is the output: the AWS call log only when asked for.
  process.env.LOG_LEVEL ??= "warn";
  const { runPreflight, runRegistryPreflight } = await import("@/lib/health/preflight/run-preflight");
  const { preflightTable } = await import("@/lib/health/preflight/preflight-table");
  const { disconnectDb } = await import("@/lib/db");
  const run = values["registry-account"] ? runRegistryPreflight : runPreflight;
  const results = await run({ portalArn: values.portal });
  console.log(preflightTable(results));
  const failed = results.filter((r) => !r.ok).length;
  console.log(failed ? `\n${failed} of ${results.length} checks failed` : `\nall ${results.length} checks passed`);
  await disconnectDb();
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`aws:preflight: could not run: ${(error as Error).message}`);
    process.exit(2);
  },
);
