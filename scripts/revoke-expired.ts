// One pass of the revocation job: `npm run job:revoke-expired`. Exit code 1 when anything failed.
import { adoptSandboxEnv } from "@/lib/sandbox/sandbox-files";

async function main() {
  adoptSandboxEnv();
  const { revokeExpired } = await import("@/lib/provisioning/expire-entitlements");
  const { shutdown } = await import("@/lib/jobs/shutdown");
  const started = Date.now();
  const summary = await revokeExpired();
  for (const error of summary.errors) console.error(`failed: ${error}`);
  console.log(
    `revoke-expired: ${summary.expired} expired, ${summary.revoked} customers converged, ${summary.failed} failed in ${Date.now() - started} ms`,
  );
  await shutdown();
  return summary.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`revoke-expired: could not run: ${(error as Error).message}`);
    process.exit(2);
  },
);
