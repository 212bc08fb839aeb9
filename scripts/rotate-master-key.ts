// `npm run secrets:rotate`: re-wraps stored secrets under PULLGATE_MASTER_KEY(_ID). Put the old
// key in PULLGATE_PREVIOUS_MASTER_KEYS ("id:base64") while this runs; remove it afterwards.
import { adoptSandboxEnv } from "@/lib/sandbox/sandbox-files";

async function main() {
  adoptSandboxEnv();
  const { rotateMasterKey } = await import("@/lib/credentials/rotate-master-key");
  const { shutdown } = await import("@/lib/jobs/shutdown");
  const { rewrapped, unreadable, currentKeyId } = await rotateMasterKey();
  console.log(`secrets:rotate: ${rewrapped} secrets now wrapped by master key "${currentKeyId}"`);
  for (const { kind, id } of unreadable) console.error(`secrets:rotate: the ${kind} ${id} opens with no configured key; left as it is`);
  await shutdown();
  // The old key must stay configured until every secret moved: say so in the exit status too.
  if (unreadable.length) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`secrets:rotate: failed: ${(error as Error).message}`);
  process.exit(1);
});
