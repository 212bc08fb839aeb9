// `npm run aws:portal-policy -- <account-id> [iam-path] [login-policy-name] [boundary-policy-name] [cloudtrail-bucket] [--partition aws-cn]`:
// the IAM policy to attach to the portal's own AWS identity, as JSON.
import { parseArgs } from "node:util";
import { portalPolicyDocument } from "@/lib/aws/portal-policy";

const { values, positionals } = parseArgs({ options: { partition: { type: "string", default: "aws" } }, allowPositionals: true });
const [
  accountId = "111122223333",
  iamPath = "/pullgate/",
  loginPolicyName = "AmazonEC2ContainerRegistryLogin",
  boundaryPolicyName = "PullgateCustomerBoundary",
  cloudTrailBucket,
] = positionals;
const { partition } = values;
// aws, aws-cn (China), aws-us-gov (GovCloud) and the like.
if (!/^\d{12}$/.test(accountId) || !/^aws(-[a-z]+)*$/.test(partition)) {
  console.error(
    "usage: npm run aws:portal-policy -- <12-digit account id> [iam path] [login policy name] [boundary policy name] [cloudtrail bucket] [--partition aws|aws-cn|aws-us-gov]",
  );
  process.exit(2);
}
console.log(JSON.stringify(portalPolicyDocument({ accountId, partition, iamPath, loginPolicyName, boundaryPolicyName, cloudTrailBucket }), null, 2));
