import "server-only";
import { GetAuthorizationTokenCommand, ECRClient } from "@aws-sdk/client-ecr";
import { DeleteRolePolicyCommand, GetRolePolicyCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { env } from "@/lib/env";
import { call, isAwsError } from "./aws-error";
import {
  BROKER_SESSION_SECONDS,
  BROKER_SESSION_TAG,
  BROKER_TOKEN_TAG,
  brokerRoleArn,
  REVOKED_SESSIONS_POLICY_NAME,
  revokedSessionsOf,
  revokedSessionsPolicy,
  type RevokedSessions,
} from "./broker-role";
import { iamClient, stsClient } from "./clients";
import { portalAccount } from "./sts";
import { raiseXmlErrors } from "./xml-error-body";

export type BrokerSession = { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiresAt: Date };
/** What `docker login` takes, and when it stops working. */
export type RegistryLogin = { username: string; password: string; expiresAt: Date };
/** A login for one registry (host). */
export type RegistryCredentials = RegistryLogin & { registry: string };

/** The broker role's name and ARN in the portal's account. */
async function brokerRole() {
  const { PULLGATE_IAM_PATH, PULLGATE_BROKER_ROLE_NAME } = env();
  return { name: PULLGATE_BROKER_ROLE_NAME, arn: brokerRoleArn(await portalAccount(), PULLGATE_IAM_PATH, PULLGATE_BROKER_ROLE_NAME) };
}

/**
 * A session of the broker role for one pull token, limited by `sessionPolicy`: named by its
 * customer's id (source identity and tag, for CloudTrail) and tagged with the token's, so that
 * revoking the token can deny it.
 */
export async function assumeBrokerSession({ customerId, tokenId }: { customerId: string; tokenId: string }, sessionPolicy: object): Promise<BrokerSession> {
  const { arn } = await brokerRole();
  const out = await call("sts:AssumeRole", () =>
    stsClient().send(
      new AssumeRoleCommand({
        RoleArn: arn,
        RoleSessionName: `pullgate-${customerId}`.slice(0, 64),
        DurationSeconds: BROKER_SESSION_SECONDS,
        Policy: JSON.stringify(sessionPolicy),
        SourceIdentity: customerId,
        Tags: [
          { Key: BROKER_SESSION_TAG, Value: customerId },
          { Key: BROKER_TOKEN_TAG, Value: tokenId },
        ],
      }),
    ),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiresAt: c.Expiration! };
}

/**
 * A registry token of the session in `region`, as `aws ecr get-login-password` makes one. It logs
 * in to every registry of the region the session may pull from, the vendor's other accounts' too.
 */
export async function brokeredRegistryLogin(session: BrokerSession, region: string): Promise<RegistryLogin> {
  const client = raiseXmlErrors(new ECRClient({ region, endpoint: env().PULLGATE_AWS_ENDPOINT, credentials: session, maxAttempts: 3 }));
  try {
    const out = await call("ecr:GetAuthorizationToken", () => client.send(new GetAuthorizationTokenCommand({})));
    const data = out.authorizationData![0]!;
    const [username, password] = Buffer.from(data.authorizationToken!, "base64").toString("utf8").split(/:(.*)/s, 2);
    // The token cannot outlive the session that minted it, whatever the answer says.
    const expiresAt = new Date(Math.min(data.expiresAt!.getTime(), session.expiresAt.getTime()));
    return { username: username!, password: password!, expiresAt };
  } finally {
    client.destroy();
  }
}

/** The customers and pull tokens whose sessions the broker role denies now. */
export async function readRevokedSessions(): Promise<RevokedSessions> {
  const { name } = await brokerRole();
  try {
    const out = await call("iam:GetRolePolicy", () => iamClient().send(new GetRolePolicyCommand({ RoleName: name, PolicyName: REVOKED_SESSIONS_POLICY_NAME })));
    return revokedSessionsOf(JSON.parse(decodeURIComponent(out.PolicyDocument!)));
  } catch (error) {
    if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) return { customers: [], tokens: [] };
    throw error;
  }
}

/** Denies exactly these customers' and tokens' sessions; with none, the policy goes (deleting a missing one is done). */
export async function writeRevokedSessions(revoked: RevokedSessions) {
  const { name } = await brokerRole();
  const document = revokedSessionsPolicy(revoked);
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
