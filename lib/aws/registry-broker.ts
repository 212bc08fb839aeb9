import "server-only";
import { GetAuthorizationTokenCommand, ECRClient } from "@aws-sdk/client-ecr";
import { DeleteRolePolicyCommand, GetRolePolicyCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { env } from "@/lib/env";
import { call, isAwsError } from "./aws-error";
import { BROKER_SESSION_SECONDS, BROKER_SESSION_TAG, brokerRoleArn, REVOKED_SESSIONS_POLICY_NAME, revokedCustomerIds, revokedSessionsPolicy } from "./broker-role";
import { iamClient, stsClient } from "./clients";
import { registryHost } from "./ecr";
import { portalAccount } from "./sts";
import { raiseXmlErrors } from "./xml-error-body";

export type BrokerSession = { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiresAt: Date };
/** What `docker login` takes for one registry, and when it stops working. */
export type RegistryCredentials = { registry: string; username: string; password: string; expiresAt: Date };

/** The broker role's name and ARN in the portal's account. */
async function brokerRole() {
  const { PULLGATE_IAM_PATH, PULLGATE_BROKER_ROLE_NAME } = env();
  return { name: PULLGATE_BROKER_ROLE_NAME, arn: brokerRoleArn(await portalAccount(), PULLGATE_IAM_PATH, PULLGATE_BROKER_ROLE_NAME) };
}

/** A session of the broker role for one customer, limited by `sessionPolicy` and named by the customer's id. */
export async function assumeBrokerSession(customerId: string, sessionPolicy: object): Promise<BrokerSession> {
  const { arn } = await brokerRole();
  const out = await call("sts:AssumeRole", () =>
    stsClient().send(
      new AssumeRoleCommand({
        RoleArn: arn,
        RoleSessionName: `pullgate-${customerId}`.slice(0, 64),
        DurationSeconds: BROKER_SESSION_SECONDS,
        Policy: JSON.stringify(sessionPolicy),
        SourceIdentity: customerId,
        Tags: [{ Key: BROKER_SESSION_TAG, Value: customerId }],
      }),
    ),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiresAt: c.Expiration! };
}

/** A registry token of the session for the portal's registry in `region`, as `aws ecr get-login-password` makes one. */
export async function brokeredRegistryCredentials(session: BrokerSession, region: string): Promise<RegistryCredentials> {
  const { accountId } = await portalAccount();
  const client = raiseXmlErrors(new ECRClient({ region, endpoint: env().PULLGATE_AWS_ENDPOINT, credentials: session, maxAttempts: 3 }));
  try {
    const out = await call("ecr:GetAuthorizationToken", () => client.send(new GetAuthorizationTokenCommand({})));
    const data = out.authorizationData![0]!;
    const [username, password] = Buffer.from(data.authorizationToken!, "base64").toString("utf8").split(/:(.*)/s, 2);
    // The token cannot outlive the session that minted it, whatever the answer says.
    const expiresAt = new Date(Math.min(data.expiresAt!.getTime(), session.expiresAt.getTime()));
    return { registry: registryHost(accountId, region), username: username!, password: password!, expiresAt };
  } finally {
    client.destroy();
  }
}

/** The customers whose sessions the broker role denies now. */
export async function readRevokedSessions(): Promise<string[]> {
  const { name } = await brokerRole();
  try {
    const out = await call("iam:GetRolePolicy", () => iamClient().send(new GetRolePolicyCommand({ RoleName: name, PolicyName: REVOKED_SESSIONS_POLICY_NAME })));
    return revokedCustomerIds(JSON.parse(decodeURIComponent(out.PolicyDocument!)));
  } catch (error) {
    if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) return [];
    throw error;
  }
}

/** Denies exactly these customers' sessions; with none, the policy goes (deleting a missing one is done). */
export async function writeRevokedSessions(customerIds: string[]) {
  const { name } = await brokerRole();
  const document = revokedSessionsPolicy(customerIds);
  if (document) {
    await call("iam:PutRolePolicy", () =>
      iamClient().send(new PutRolePolicyCommand({ RoleName: name, PolicyName: REVOKED_SESSIONS_POLICY_NAME, PolicyDocument: JSON.stringify(document) })),
    );
    return;
  }
  try {
    await call("iam:DeleteRolePolicy", () => iamClient().send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: REVOKED_SESSIONS_POLICY_NAME })));
  } catch (error) {
    if (!isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) throw error;
  }
}
