// How a customer pulls with its own AWS account: the vendor's repository policy names the account,
// and the account's own IAM must let each role or user pull (AWS needs both sides across accounts).
import { registryHost, repositoryArn, type RepositoryRef } from "@/lib/aws/ecr";
import { PULL_ACTIONS } from "@/lib/aws/pull-policy";
import type { InstructionPlatform } from "./pull-instructions";

export type CrossAccountInput = {
  /** The customer's registered accounts, to say which may pull. */
  accountIds: string[];
  /** Every repository the customer may pull, in whichever registries (accounts and regions) they are. */
  repositories: { accountId: string; region: string; name: string; tag: string | null }[];
  /** The vendor's AWS partition, which the customer's accounts share. */
  partition: string;
};

const POLICY_NAME = "pull-vendor-images";

/** The identity policy the customer attaches in its own account: a registry token, and pulls from these repositories only. */
export function customerSidePolicy(repositories: RepositoryRef[], partition: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      { Sid: "PullVendorImages", Effect: "Allow", Action: PULL_ACTIONS, Resource: repositories.map((r) => repositoryArn(r, partition)) },
    ],
  };
}

export function crossAccountInstructions({ accountIds, repositories, partition }: CrossAccountInput): InstructionPlatform | null {
  if (repositories.length === 0 || accountIds.length === 0) return null;
  const registries = [...new Map(repositories.map((r) => [registryHost(r.accountId, r.region), r.region])).entries()];
  const policy = JSON.stringify(customerSidePolicy(repositories, partition), null, 2);
  const accounts = accountIds.join(", ");
  return {
    id: "own-account",
    title: "From your own AWS account",
    steps: [
      {
        id: "own-account-policy",
        title: "Let your roles pull",
        description: `Our repository policy grants your account${accountIds.length > 1 ? "s" : ""} ${accounts}. Inside your account, attach this policy to each IAM role or user that pulls (for example your EKS node role or your CI role); replace <your-role> with its name.`,
        command: `cat > ${POLICY_NAME}.json <<'EOF'\n${policy}\nEOF\naws iam put-role-policy --role-name <your-role> --policy-name ${POLICY_NAME} --policy-document file://${POLICY_NAME}.json`,
      },
      {
        id: "own-account-login",
        title: registries.length > 1 ? "Log in to the registries" : "Log in to the registry",
        description: "Run as that role, with your own credentials: no Pullgate key is involved. The token is valid for 12 hours.",
        command: registries.map(([host, region]) => `aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${host}`).join("\n"),
      },
      {
        id: "own-account-pull",
        title: "Pull the images",
        description: "On Amazon EKS, nodes whose role has the policy pull these images without any pull secret.",
        command: repositories.map((r) => `docker pull ${registryHost(r.accountId, r.region)}/${r.name}:${r.tag ?? "latest"}`).join("\n"),
      },
    ],
  };
}
