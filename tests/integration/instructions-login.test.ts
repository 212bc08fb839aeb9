import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { customerDownloads } from "@/lib/customers/customer-downloads";
import { pullInstructions, SECRET_PLACEHOLDER } from "@/lib/customers/pull-instructions";
import { disconnectDb } from "@/lib/db";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { closeLockPool } from "@/lib/locks/advisory-lock";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { awsAdmin } from "../support/aws-admin";

const ctx = inject("integration");
const aws = awsAdmin(ctx);
const actor = systemActor("test");
const home = await mkdtemp(path.join(tmpdir(), "pullgate-cli-"));

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await closeLockPool();
  await disconnectDb();
});

/** Runs a generated command line (they quote nothing outside `$(…)`) with the real AWS CLI, as the customer would. */
function runCli(commandLine: string) {
  const [program, ...args] = commandLine.split(" ");
  const result = spawnSync(program!, args, {
    encoding: "utf8",
    // Nothing from this process's environment but PATH, so only the generated profile can sign in.
    env: {
      ...({} as NodeJS.ProcessEnv),
      PATH: process.env.PATH,
      HOME: home,
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"),
      AWS_CONFIG_FILE: path.join(home, "config"),
      // The only addition to the customer's command: the emulator stands in for AWS.
      AWS_ENDPOINT_URL: ctx.awsEndpoint,
    },
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe("the generated pull instructions, run with the AWS CLI against the emulator", () => {
  it("log in with the profile they describe until the entitlement is revoked", async () => {
    const { entitlement } = await aws.grantOnNewProduct("instructions");
    const { customerId } = entitlement;

    // The same inputs the portal page gives the builder.
    const downloads = await customerDownloads(customerId);
    const product = downloads.products.find((p) => p.entitlementId === entitlement.id)!;
    const repository = product.repositories[0]!;
    const key = downloads.accessKey;
    const platforms = pullInstructions({
      accountId: repository.accountId,
      region: repository.region,
      repositories: product.repositories.map((r) => ({ name: r.name, tag: r.tags?.[0]?.tag ?? null })),
      accessKeyId: key!.accessKeyId,
      profile: product.productSlug,
    });
    const step = (id: string) => platforms.flatMap((p) => p.steps).find((s) => s.id === id)!.command;

    const { secretAccessKey } = await revealSecret({ actor, customerId, accessKeyId: key!.accessKeyId });
    await writeFile(path.join(home, "credentials"), `${step("aws-credentials-file").replace(SECRET_PLACEHOLDER, secretAccessKey)}\n`);
    await writeFile(path.join(home, "config"), "");

    // The Kubernetes step reads the key back out of the profile.
    expect(runCli(`aws configure get aws_access_key_id --profile ${product.productSlug}`).stdout).toBe(key!.accessKeyId);

    const [getPassword, dockerLogin] = step("docker-login").split(" | ");
    expect(getPassword).toBe(`aws ecr get-login-password --region ${ctx.region} --profile ${product.productSlug}`);
    expect(dockerLogin).toBe(`docker login --username AWS --password-stdin ${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com`);
    const login = runCli(getPassword!);
    expect(login.stderr).toBe("");
    expect(login.status).toBe(0);
    expect(login.stdout.length).toBeGreaterThan(10);

    const revoked = await revokeEntitlement({ actor, entitlementId: entitlement.id, reason: "test" });
    expect(await convergeCustomer(revoked.entitlement.customerId, actor)).toEqual({ ok: true });

    const refused = runCli(getPassword!);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/InvalidClientTokenId|UnrecognizedClient|security token/i);
  });
});
