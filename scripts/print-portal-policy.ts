// `npm run aws:portal-policy -- <account-id> [iam-path] [login-policy-name] [boundary-policy-name] [cloudtrail-bucket] [--partition aws-cn] [--cloudtrail-kms-key <key arn>] [--registry-role <role name>] [--broker-role <role name>] [--boundary]`:
// the IAM policy to attach to the portal's own AWS identity, as JSON; with --boundary, the
// permissions boundary the portal gives customer users instead. --registry-role names the role the
// vendor's other accounts holding repositories give the portal (PULLGATE_REGISTRY_ROLE_NAME);
// --broker-role the broker role of brokered registry credentials, when not the default name
// (PULLGATE_BROKER_ROLE_NAME).
import { parseArgs } from "node:util";
import { boundaryPolicyDocument } from "@/lib/aws/login-policy";
import { portalPolicyDocument } from "@/lib/aws/portal-policy";

const { values, positionals } = parseArgs({
  options: { partition: { type: "string", default: "aws" }, "cloudtrail-kms-key": { type: "string" }, "registry-role": { type: "string" }, "broker-role": { type: "string" }, boundary: { type: "boolean", default: false } },
  allowPositionals: true,
});
const [
  accountId = "111122223333",
  iamPath = "/pullgate/",
  loginPolicyName = "AmazonEC2ContainerRegistryLogin",
  boundaryPolicyName = "PullgateCustomerBoundary",
  cloudTrailBucket,
] = positionals;
const { partition, "cloudtrail-kms-key": cloudTrailKmsKeyArn, "registry-role": registryRoleName, "broker-role": brokerRoleName, boundary } = values;
// aws, aws-cn (China), aws-us-gov (GovCloud) and the like.
const validKey = cloudTrailKmsKeyArn === undefined || /^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(cloudTrailKmsKeyArn);
const validRole = [registryRoleName, brokerRoleName].every((name) => name === undefined || /^[\w+=,.@-]{1,64}$/.test(name));
if (!/^\d{12}$/.test(accountId) || !/^aws(-[a-z]+)*$/.test(partition) || !validKey || !validRole) {
  console.error(
    "usage: npm run aws:portal-policy -- <12-digit account id> [iam path] [login policy name] [boundary policy name] [cloudtrail bucket] [--partition aws|aws-cn|aws-us-gov] [--cloudtrail-kms-key <key arn>] [--registry-role <role name>] [--broker-role <role name>] [--boundary]",
  );
  process.exit(2);
}
const document = boundary
  ? boundaryPolicyDocument({ partition })
  : portalPolicyDocument({ accountId, partition, iamPath, loginPolicyName, boundaryPolicyName, cloudTrailBucket, cloudTrailKmsKeyArn, registryRoleName, brokerRoleName });
console.log(JSON.stringify(document, null, 2));
