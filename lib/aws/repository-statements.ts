// The statements that reach an account's repositories: the portal's own policy holds them for its
// account, and the role each other account gives the portal (registry-role.ts) for that one.
import { carriesManagedTag } from "./managed-mark";
import type { AwsAccount } from "./partition";
import { PRODUCT_TAG_KEY } from "./pull-policy";

export type Statement = { Sid: string; Effect: "Allow"; Action: string[]; Resource: string | string[]; Condition?: object };

/**
 * What the portal may do to an account's repositories: change the policies of those the vendor
 * marked, read any one's tags, put the product tag on marked ones, and list them.
 */
export function repositoryStatements({ accountId, partition }: AwsAccount): Statement[] {
  return [
    {
      Sid: "ManageRepositoryPolicies",
      Effect: "Allow",
      Action: [
        "ecr:GetRepositoryPolicy",
        "ecr:SetRepositoryPolicy",
        "ecr:DeleteRepositoryPolicy",
        "ecr:DescribeImages",
      ],
      Resource: `arn:${partition}:ecr:*:${accountId}:repository/*`,
      // Only repositories the vendor marked as Pullgate's.
      Condition: { StringEquals: carriesManagedTag() },
    },
    {
      // Tags say which repositories are marked and of which product; reading them changes nothing.
      Sid: "ReadRepositoryTags",
      Effect: "Allow",
      Action: ["ecr:ListTagsForResource"],
      Resource: `arn:${partition}:ecr:*:${accountId}:repository/*`,
    },
    {
      // Customers' inline policies grant repositories by their product tag: the portal may set
      // that one tag and no other (nor remove any), on marked repositories only.
      Sid: "TagRepositoriesWithTheirProduct",
      Effect: "Allow",
      Action: ["ecr:TagResource"],
      Resource: `arn:${partition}:ecr:*:${accountId}:repository/*`,
      Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": [PRODUCT_TAG_KEY] }, StringEquals: carriesManagedTag() },
    },
    {
      Sid: "DiscoverRepositories",
      Effect: "Allow",
      Action: ["ecr:DescribeRepositories"],
      Resource: "*",
    },
  ];
}
