import { getRegistryToken, getRepositoryPolicy, type RepositoryRef } from "@/lib/aws/ecr";
import { listAccessKeyIds, listUserInlinePolicyNames, userExists } from "@/lib/aws/iam";
import { readInlinePullPolicy } from "@/lib/aws/identity-pull-policy";
import { pullPrincipals } from "@/lib/aws/pull-policy";
import { isAwsError } from "@/lib/aws/aws-error";

/** Reads AWS the way an auditor would, to check what the portal did. */
export const probe = {
  principals: async (repo: RepositoryRef) => pullPrincipals(await getRepositoryPolicy(repo)),
  policy: async (repo: RepositoryRef) => JSON.parse((await getRepositoryPolicy(repo)) ?? "null"),
  userExists,
  keyIds: listAccessKeyIds,
  inlinePolicyNames: listUserInlinePolicyNames,
  /** What the user's inline pull policy grants: repository ARNs and product tags. */
  inlinePullGrant: async (userName: string) => (await readInlinePullPolicy(userName)).grant,
  /** "ok", or the AWS error code the key gets when it asks for a registry token. */
  async login(credentials: { accessKeyId: string; secretAccessKey: string }, region: string) {
    try {
      const { token } = await getRegistryToken(credentials, region);
      return token ? "ok" : "empty-token";
    } catch (error) {
      return isAwsError(error) ? error.code : String(error);
    }
  },
};
