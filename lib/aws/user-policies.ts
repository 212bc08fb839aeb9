import "server-only";
import { ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand, type AttachedPolicy } from "@aws-sdk/client-iam";
import { call } from "./aws-error";
import { iamClient } from "./clients";
import {
  getRole,
  getRoleInlinePolicy,
  getUser,
  getUserInlinePolicy,
  listRoleInlinePolicyNames,
  listUserInlinePolicyNames,
  managedPolicyDocument,
} from "./iam";

export type NamedDocument = { name: string; document: unknown };
export type PrincipalPolicies = { identity: NamedDocument[]; boundary: NamedDocument | null };

/** Users and roles hold their policies alike; only the calls that read them differ. */
type PolicyReads = {
  boundaryArn: string | undefined;
  inlineNames: () => Promise<string[]>;
  inlineDocument: (name: string) => Promise<unknown>;
  attached: () => Promise<AttachedPolicy[] | undefined>;
};

async function readPolicies(reads: PolicyReads): Promise<PrincipalPolicies> {
  const identity: NamedDocument[] = [];
  for (const name of await reads.inlineNames()) {
    identity.push({ name: `inline policy ${name}`, document: await reads.inlineDocument(name) });
  }
  for (const policy of (await reads.attached()) ?? []) {
    identity.push({ name: `managed policy ${policy.PolicyName}`, document: await managedPolicyDocument(policy.PolicyArn!) });
  }
  const { boundaryArn } = reads;
  const boundary = boundaryArn ? { name: `permissions boundary ${boundaryArn}`, document: await managedPolicyDocument(boundaryArn) } : null;
  return { identity, boundary };
}

/**
 * Every policy that decides what an IAM user may do, as IAM holds it now: inline and attached
 * policies and the permissions boundary. Null when the user does not exist.
 */
export async function readUserPolicies(userName: string): Promise<PrincipalPolicies | null> {
  const user = await getUser(userName);
  if (!user) return null;
  return readPolicies({
    boundaryArn: user.permissionsBoundaryArn,
    inlineNames: () => listUserInlinePolicyNames(userName),
    inlineDocument: (name) => getUserInlinePolicy(userName, name),
    attached: async () =>
      (await call("iam:ListAttachedUserPolicies", () => iamClient().send(new ListAttachedUserPoliciesCommand({ UserName: userName })))).AttachedPolicies,
  });
}

/** The same for an IAM role (its trust policy decides who assumes it, not what it may do). Null when the role does not exist. */
export async function readRolePolicies(roleName: string): Promise<PrincipalPolicies | null> {
  const role = await getRole(roleName);
  if (!role) return null;
  return readPolicies({
    boundaryArn: role.permissionsBoundaryArn,
    inlineNames: () => listRoleInlinePolicyNames(roleName),
    inlineDocument: (name) => getRoleInlinePolicy(roleName, name),
    attached: async () =>
      (await call("iam:ListAttachedRolePolicies", () => iamClient().send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })))).AttachedPolicies,
  });
}
