// `npm run aws:portal-policy -- <account-id> [iam-path] [login-policy-name] [boundary-policy-name] [cloudtrail-bucket]`: the
// IAM policy to attach to the portal's own AWS identity, as JSON.
import { portalPolicyDocument } from "@/lib/aws/portal-policy";

const [
  accountId = "111122223333",
  iamPath = "/pullgate/",
  loginPolicyName = "AmazonEC2ContainerRegistryLogin",
  boundaryPolicyName = "PullgateCustomerBoundary",
  cloudTrailBucket,
] = process.argv.slice(2);
if (!/^\d{12}$/.test(accountId)) {
  console.error("usage: npm run aws:portal-policy -- <12-digit account id> [iam path] [login policy name] [boundary policy name] [cloudtrail bucket]");
  process.exit(2);
}
console.log(JSON.stringify(portalPolicyDocument({ accountId, iamPath, loginPolicyName, boundaryPolicyName, cloudTrailBucket }), null, 2));
