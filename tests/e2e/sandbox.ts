import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { SandboxDescription } from "@/lib/sandbox/sandbox-files";

/** What the running sandbox wrote about itself (URLs, admin sign-in, emulator endpoint). */
export function sandbox(): SandboxDescription {
  return JSON.parse(readFileSync(path.resolve(".pullgate/e2e/sandbox.json"), "utf8")) as SandboxDescription;
}

export type Mail = { to: string; subject: string; text: string };

export async function inbox(to: string): Promise<Mail[]> {
  const url = sandbox().mail.inboxUrl;
  if (!url) throw new Error("The sandbox has no local mail inbox");
  const res = await fetch(`${url}?to=${encodeURIComponent(to)}`);
  return (await res.json()) as Mail[];
}

/**
 * Runs the customer's own login command from the download page with the AWS CLI, pointed at the
 * sandbox's emulator. Returns the exit status and output.
 */
export function awsCliLogin(credentials: { accessKeyId: string; secretAccessKey: string }) {
  const { aws } = sandbox();
  const result = spawnSync(
    "aws",
    ["ecr", "get-login-password", "--region", aws.region, ...(aws.endpoint ? ["--endpoint-url", aws.endpoint] : [])],
    {
      encoding: "utf8",
      env: {
        ...({} as NodeJS.ProcessEnv),
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      },
    },
  );
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}
