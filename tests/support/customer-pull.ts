import type { RepositoryRef } from "@/lib/aws/ecr";
import { PULL_ACTIONS } from "@/lib/aws/pull-policy";
import { askOracle } from "./aws-oracle/oracle-proxy";

/**
 * Whether `docker pull` with the customer's key would get through: "ok" when AWS would allow
 * every pull action on the repository, else the first denial. Judged by the tests' AWS oracle
 * under the customer's real policies (inline, attached, boundary) and the repository's policy
 * and tags.
 */
export async function pullAs(endpoint: string, accessKeyId: string, repo: RepositoryRef): Promise<string> {
  for (const action of PULL_ACTIONS) {
    const params = { registryId: repo.accountId, repositoryName: repo.name };
    const verdict = await askOracle(endpoint, { service: "ecr", action, region: repo.region, params, accessKeyId });
    if (!verdict.allowed) return `${verdict.action} denied ${verdict.reason}`;
  }
  return "ok";
}
