import "server-only";
import { ListAttachedUserPoliciesCommand } from "@aws-sdk/client-iam";
import { call } from "./aws-error";
import { iamClient } from "./clients";
import { getUser, getUserInlinePolicy, listUserInlinePolicyNames, managedPolicyDocument } from "./iam";

export type NamedDocument = { name: string; document: unknown };
export type UserPolicies = { identity: NamedDocument[]; boundary: NamedDocument | null };

/**
 * Every policy that decides what an IAM user may do, as IAM holds it now: inline and attached
 * policies and the permissions boundary. Null when the user does not exist.
 */
export async function readUserPolicies(userName: string): Promise<UserPolicies | null> {
  const user = await getUser(userName);
  if (!user) return null;
  const iam = iamClient();
  const identity: NamedDocument[] = [];
  for (const name of await listUserInlinePolicyNames(userName)) {
    identity.push({ name: `inline policy ${name}`, document: await getUserInlinePolicy(userName, name) });
  }
  const attached = await call("iam:ListAttachedUserPolicies", () =>
    iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName })),
  );
  for (const policy of attached.AttachedPolicies ?? []) {
    identity.push({ name: `managed policy ${policy.PolicyName}`, document: await managedPolicyDocument(policy.PolicyArn!) });
  }
  const boundaryArn = user.permissionsBoundaryArn;
  const boundary = boundaryArn ? { name: `permissions boundary ${boundaryArn}`, document: await managedPolicyDocument(boundaryArn) } : null;
  return { identity, boundary };
}
