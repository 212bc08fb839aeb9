import {
  GetUserCommand,
  GetUserPolicyCommand,
  ListAttachedUserPoliciesCommand,
  ListUserPoliciesCommand,
} from "@aws-sdk/client-iam";
import { call, isAwsError } from "./aws-error";
import { iamClient } from "./clients";
import { managedPolicyDocument } from "./iam";

export type NamedDocument = { name: string; document: unknown };
export type UserPolicies = { identity: NamedDocument[]; boundary: NamedDocument | null };

/**
 * Every policy that decides what an IAM user may do, as IAM holds it now: inline and attached
 * policies and the permissions boundary. Null when the user does not exist.
 */
export async function readUserPolicies(userName: string): Promise<UserPolicies | null> {
  const iam = iamClient();
  let boundaryArn: string | undefined;
  try {
    const user = await call("iam:GetUser", () => iam.send(new GetUserCommand({ UserName: userName })));
    boundaryArn = user.User?.PermissionsBoundary?.PermissionsBoundaryArn;
  } catch (error) {
    if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) return null;
    throw error;
  }
  const identity: NamedDocument[] = [];
  const inline = await call("iam:ListUserPolicies", () => iam.send(new ListUserPoliciesCommand({ UserName: userName })));
  for (const name of inline.PolicyNames ?? []) {
    const out = await call("iam:GetUserPolicy", () => iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name })));
    identity.push({ name: `inline policy ${name}`, document: decodeURIComponent(out.PolicyDocument ?? "") });
  }
  const attached = await call("iam:ListAttachedUserPolicies", () =>
    iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName })),
  );
  for (const policy of attached.AttachedPolicies ?? []) {
    identity.push({ name: `managed policy ${policy.PolicyName}`, document: await managedPolicyDocument(policy.PolicyArn!) });
  }
  const boundary = boundaryArn ? { name: `permissions boundary ${boundaryArn}`, document: await managedPolicyDocument(boundaryArn) } : null;
  return { identity, boundary };
}
