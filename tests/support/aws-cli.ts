// The AWS CLI as a customer's CI job or cluster runs it, against the tests' AWS endpoint: the
// customer-side calls the product never makes, with no configuration of this machine's.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { sessionCredentials, type Credentials } from "./boto3";

export type CliAnswer = { output: string } | { error: string };

type Endpoint = { awsEndpoint: string; region: string };

/**
 * One `aws` command with only the credentials given (none: an unsigned call), as JSON: its
 * output, or the error code AWS answered. Asynchronous, as boto3.ts is and for the same reason:
 * the oracle's keep-alive.
 */
export async function awsCli(at: Endpoint, credentials: Credentials | null, args: string[]): Promise<CliAnswer> {
  // No inherited AWS_* variable, profile or instance metadata may lend the command a credential.
  const env: Record<string, string> = {
    PATH: process.env.PATH!,
    HOME: process.env.HOME ?? "/tmp",
    AWS_DEFAULT_REGION: at.region,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    ...(credentials && {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(credentials.sessionToken && { AWS_SESSION_TOKEN: credentials.sessionToken }),
    }),
  };
  const command = [...args, "--endpoint-url", at.awsEndpoint, "--output", "json", ...(credentials ? [] : ["--no-sign-request"])];
  try {
    const { stdout } = await promisify(execFile)("aws", command, { encoding: "utf8", env: env as NodeJS.ProcessEnv });
    return { output: stdout };
  } catch (failure) {
    const stderr = String((failure as { stderr?: string }).stderr ?? "");
    const code = /An error occurred \(([^)]+)\) when calling/.exec(stderr)?.[1];
    if (!code) throw new Error(`aws ${args.join(" ")} failed without an answer from AWS: ${stderr || (failure as Error).message}`);
    return { error: code };
  }
}

/**
 * What a CI job does with its OIDC token: assume the customer's workload role (an unsigned
 * call), then log in to ECR with the session. The registry password `docker login` takes, or
 * the error code AWS answered.
 */
export async function workloadLogin(at: Endpoint, roleArn: string, token: string): Promise<{ password: string } | { error: string }> {
  const assumed = await awsCli(at, null, [
    "sts",
    "assume-role-with-web-identity",
    "--role-arn",
    roleArn,
    "--role-session-name",
    "ci-job",
    "--web-identity-token",
    token,
    "--duration-seconds",
    "900",
  ]);
  if ("error" in assumed) return assumed;
  const login = await awsCli(at, sessionCredentials(JSON.parse(assumed.output) as Record<string, unknown>), ["ecr", "get-login-password"]);
  return "error" in login ? login : { password: login.output.trim() };
}
