import "server-only";
import {
  DeleteRepositoryPolicyCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  GetRepositoryPolicyCommand,
  ECRClient,
  ListTagsForResourceCommand,
  SetRepositoryPolicyCommand,
  TagResourceCommand,
  type ImageDetail,
} from "@aws-sdk/client-ecr";
import { env } from "@/lib/env";
import { AwsError, call, isAwsError } from "./aws-error";
import { ecrClient } from "./clients";
import { registryAccess } from "./registry-access";
import { assertPolicyFits } from "./pull-policy";
import { retryWhile } from "./retry";
import { MANAGED_TAG } from "./managed-mark";
import { portalAccount } from "./sts";
import { raiseXmlErrors } from "./xml-error-body";

export type RepositoryRef = { accountId: string; region: string; name: string };

/** ECR's registry host name; the regions in China are served under amazonaws.com.cn. */
export function registryHost(accountId: string, region: string) {
  return `${accountId}.dkr.ecr.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`;
}

export function repositoryUri(repo: RepositoryRef) {
  return `${registryHost(repo.accountId, repo.region)}/${repo.name}`;
}

/** ECR where the repository lives: the portal's own account, or another through its registry role. */
const ecrOf = ({ region, accountId }: { region: string; accountId: string }) => ecrClient(region, registryAccess(accountId));

export function repositoryArn(repo: RepositoryRef, partition: string) {
  return `arn:${partition}:ecr:${repo.region}:${repo.accountId}:repository/${repo.name}`;
}

export async function getRepositoryPolicy(repo: RepositoryRef): Promise<string | null> {
  try {
    const out = await call("ecr:GetRepositoryPolicy", () =>
      ecrOf(repo).send(new GetRepositoryPolicyCommand({ registryId: repo.accountId, repositoryName: repo.name })),
    );
    return out.policyText ?? null;
  } catch (error) {
    if (isAwsError(error, "RepositoryPolicyNotFoundException")) return null;
    throw await explainedRefusal(repo, error);
  }
}

/**
 * The portal may read marked repositories only, so AWS answers both a missing and an unmarked
 * one with a bare AccessDenied. Their tags, readable for any repository, tell which: a missing
 * one throws RepositoryNotFound here, an unmarked one gets a refusal that says how to mark it.
 */
async function explainedRefusal(repo: RepositoryRef, error: unknown): Promise<unknown> {
  if (!isAwsError(error, "AccessDeniedException")) return error;
  const tags = await getRepositoryTags(repo, (await portalAccount()).partition);
  if (tags[MANAGED_TAG.key] === MANAGED_TAG.value) return error;
  const reason = `${repo.accountId}/${repo.region}/${repo.name} is not marked as Pullgate's: tag it ${MANAGED_TAG.key}=${MANAGED_TAG.value} (the portal may change only marked repositories)`;
  return new AwsError(error.code, reason, error.operation, error.httpStatus, error.requestId);
}

/**
 * A principal IAM has not propagated yet is rejected as invalid for up to ~2 minutes after
 * the user was created; such a rejection is worth retrying, any other is not.
 */
export function isPrincipalNotYetVisible(error: unknown) {
  return (
    isAwsError(error, "InvalidParameterException") &&
    /principal not found|invalid repository policy provided/i.test(error.message)
  );
}

/** The longest wait between two writes of a policy naming a principal ECR does not see yet. */
const PRINCIPAL_RETRY_MAX_DELAY_MS = 2_000;

/**
 * Writes the policy, or deletes it when `policyText` is null. By default a refusal that may be
 * IAM still propagating a new principal is retried for PULLGATE_PRINCIPAL_RETRY_SECONDS.
 */
export async function putRepositoryPolicy(repo: RepositoryRef, policyText: string | null, { waitForNewPrincipals = true } = {}) {
  const client = ecrOf(repo);
  const ids = { registryId: repo.accountId, repositoryName: repo.name };
  if (policyText === null) {
    try {
      await call("ecr:DeleteRepositoryPolicy", () => client.send(new DeleteRepositoryPolicyCommand(ids)));
    } catch (error) {
      if (!isAwsError(error, "RepositoryPolicyNotFoundException")) throw error;
    }
    return;
  }
  assertPolicyFits(policyText);
  await retryWhile(
    () => call("ecr:SetRepositoryPolicy", () => client.send(new SetRepositoryPolicyCommand({ ...ids, policyText }))),
    isPrincipalNotYetVisible,
    // Steady retries once past the first: IAM propagates in seconds, and a doubling wait would
    // land the write up to as long again after the principal became visible.
    { budgetMs: waitForNewPrincipals ? env().PULLGATE_PRINCIPAL_RETRY_SECONDS * 1000 : 0, maxDelayMs: PRINCIPAL_RETRY_MAX_DELAY_MS },
  );
}

/** The repository's resource tags, read by the portal unless another `client` is given (an administrator's). */
export async function getRepositoryTags(repo: RepositoryRef, partition: string, client: ECRClient = ecrOf(repo)): Promise<Record<string, string>> {
  const out = await call("ecr:ListTagsForResource", () =>
    client.send(new ListTagsForResourceCommand({ resourceArn: repositoryArn(repo, partition) })),
  );
  return Object.fromEntries((out.tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}

/** The repository's value of one resource tag, or null when it has none. */
export async function getRepositoryTag(repo: RepositoryRef, partition: string, key: string): Promise<string | null> {
  return (await getRepositoryTags(repo, partition))[key] ?? null;
}

export async function tagRepository(repo: RepositoryRef, partition: string, key: string, value: string) {
  await call("ecr:TagResource", () =>
    ecrOf(repo).send(new TagResourceCommand({ resourceArn: repositoryArn(repo, partition), tags: [{ Key: key, Value: value }] })),
  );
}

export type ImageTag = { tag: string; digest: string; pushedAt: Date | null; sizeBytes: number | null };

/** Every tagged image of the repository, newest push first. */
export async function listImageTags(repo: RepositoryRef): Promise<ImageTag[]> {
  const details: ImageDetail[] = [];
  let nextToken: string | undefined;
  do {
    const out = await call("ecr:DescribeImages", () =>
      ecrOf(repo).send(
        new DescribeImagesCommand({
          registryId: repo.accountId,
          repositoryName: repo.name,
          filter: { tagStatus: "TAGGED" },
          nextToken,
        }),
      ),
    );
    details.push(...(out.imageDetails ?? []));
    nextToken = out.nextToken;
  } while (nextToken);
  return details
    .flatMap((d) =>
      (d.imageTags ?? []).map((tag) => ({
        tag,
        digest: d.imageDigest ?? "",
        pushedAt: d.imagePushedAt ?? null,
        sizeBytes: d.imageSizeInBytes ?? null,
      })),
    )
    // Same-second pushes are common in release pipelines: then the higher version comes first.
    .sort(
      (a, b) =>
        (b.pushedAt?.getTime() ?? 0) - (a.pushedAt?.getTime() ?? 0) ||
        b.tag.localeCompare(a.tag, "en", { numeric: true }),
    );
}

export type RemoteRepository = { accountId: string; region: string; name: string; uri: string };

/** The repositories of the portal's own account in a region, or of `accountId`, one of the vendor's others. */
export async function describeRepositories(region: string, names?: string[], accountId?: string): Promise<RemoteRepository[]> {
  const found: RemoteRepository[] = [];
  const client = accountId ? ecrOf({ region, accountId }) : ecrClient(region);
  let nextToken: string | undefined;
  do {
    const out = await call("ecr:DescribeRepositories", () =>
      client.send(new DescribeRepositoriesCommand({ registryId: accountId, repositoryNames: names, nextToken })),
    );
    for (const r of out.repositories ?? []) {
      found.push({ accountId: r.registryId!, region, name: r.repositoryName!, uri: r.repositoryUri! });
    }
    nextToken = out.nextToken;
  } while (nextToken);
  return found;
}

export async function findRepository(region: string, name: string, accountId?: string): Promise<RemoteRepository | null> {
  try {
    return (await describeRepositories(region, [name], accountId))[0] ?? null;
  } catch (error) {
    if (isAwsError(error, "RepositoryNotFoundException")) return null;
    throw error;
  }
}

/**
 * What a customer's `aws ecr get-login-password` does: a registry token from the given key.
 * Used to prove that a key works (or no longer does).
 */
export async function getRegistryToken(credentials: { accessKeyId: string; secretAccessKey: string }, region: string) {
  const client = raiseXmlErrors(
    new ECRClient({ region, endpoint: env().PULLGATE_AWS_ENDPOINT, credentials, maxAttempts: 1 }),
  );
  try {
    const out = await call("ecr:GetAuthorizationToken", () => client.send(new GetAuthorizationTokenCommand({})));
    const data = out.authorizationData?.[0];
    return { token: data?.authorizationToken ?? "", proxyEndpoint: data?.proxyEndpoint ?? "" };
  } finally {
    client.destroy();
  }
}
