import "server-only";
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DeleteVirtualMFADeviceCommand,
  DetachUserPolicyCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListRolePoliciesCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SimulatePrincipalPolicyCommand,
} from "@aws-sdk/client-iam";
import { call, isAwsError } from "./aws-error";
import { iamClient } from "./clients";
import { allowsOnly } from "./login-policy";
import type { AwsAccount } from "./partition";
import { MANAGED_TAG } from "./managed-mark";

/** `managed`: the user carries Pullgate's mark, which only Pullgate's CreateUser sets. */
export type IamUser = { userName: string; arn: string; userId: string; permissionsBoundaryArn?: string; managed: boolean };

export function userArn({ accountId, partition }: AwsAccount, path: string, userName: string) {
  return `arn:${partition}:iam::${accountId}:user${path}${userName}`;
}

/** An account's root principal: in a resource policy it delegates to that account's own IAM. */
export function accountRootArn({ accountId, partition }: AwsAccount) {
  return `arn:${partition}:iam::${accountId}:root`;
}

export function policyArn({ accountId, partition }: AwsAccount, path: string, name: string) {
  return `arn:${partition}:iam::${accountId}:policy${path}${name}`;
}

type ManagedPolicy = { account: AwsAccount; path: string; name: string; description: string; document: object; allowedActions: string[] };

/**
 * Creates one of the account's customer-managed policies once. An existing policy of that name
 * that allows more than `allowedActions` (edited by hand, or planted by someone holding the
 * portal's credentials) is refused, since every customer user gets it.
 */
export async function ensureManagedPolicy(opts: ManagedPolicy): Promise<string> {
  try {
    const out = await call("iam:CreatePolicy", () =>
      iamClient().send(
        new CreatePolicyCommand({
          PolicyName: opts.name,
          Path: opts.path,
          Description: opts.description,
          PolicyDocument: JSON.stringify(opts.document),
        }),
      ),
    );
    return out.Policy!.Arn!;
  } catch (error) {
    if (!isAwsError(error, "EntityAlreadyExists", "EntityAlreadyExistsException")) throw error;
    const arn = policyArn(opts.account, opts.path, opts.name);
    const document = await managedPolicyDocument(arn);
    if (!allowsOnly(document, opts.allowedActions)) {
      throw new Error(`${arn} allows more than ${opts.allowedActions.join(", ")}; refusing to give it to customer users`);
    }
    return arn;
  }
}

export async function managedPolicyDocument(arn: string): Promise<unknown> {
  const iam = iamClient();
  const policy = await call("iam:GetPolicy", () => iam.send(new GetPolicyCommand({ PolicyArn: arn })));
  const version = await call("iam:GetPolicyVersion", () =>
    iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy!.DefaultVersionId! })),
  );
  return JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!));
}

export async function getUser(userName: string): Promise<IamUser | null> {
  try {
    const out = await call("iam:GetUser", () => iamClient().send(new GetUserCommand({ UserName: userName })));
    const permissionsBoundaryArn = out.User!.PermissionsBoundary?.PermissionsBoundaryArn;
    const managed = (out.User!.Tags ?? []).some((t) => t.Key === MANAGED_TAG.key && t.Value === MANAGED_TAG.value);
    return { userName, arn: out.User!.Arn!, userId: out.User!.UserId!, managed, ...(permissionsBoundaryArn ? { permissionsBoundaryArn } : {}) };
  } catch (error) {
    if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) return null;
    throw error;
  }
}

/**
 * Creates the user unless it exists (a rerun after a crash finds it), tagged with its owner and
 * capped by the permissions boundary. CreateUser comes first: IAM authorizes a read of a user
 * that does not exist yet against an ARN without its path, and creating first also spares the
 * usual case a call.
 */
export async function ensureUser(opts: {
  userName: string;
  path: string;
  permissionsBoundary: string;
  tags: Record<string, string>;
}): Promise<IamUser & { created: boolean }> {
  try {
    const out = await call("iam:CreateUser", () =>
      iamClient().send(
        new CreateUserCommand({
          UserName: opts.userName,
          Path: opts.path,
          PermissionsBoundary: opts.permissionsBoundary,
          Tags: Object.entries(opts.tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      ),
    );
    const managed = opts.tags[MANAGED_TAG.key] === MANAGED_TAG.value;
    return { userName: opts.userName, arn: out.User!.Arn!, userId: out.User!.UserId!, managed, created: true };
  } catch (error) {
    if (!isAwsError(error, "EntityAlreadyExists", "EntityAlreadyExistsException")) throw error;
    // Created by an earlier attempt, or by another process between our decision and this call.
    const user = await getUser(opts.userName);
    if (!user) throw error;
    return { ...user, created: false };
  }
}

/** Attaching an already attached policy is a no-op in IAM, so this is idempotent as it stands. */
export async function attachUserPolicy(userName: string, policyArn: string) {
  await call("iam:AttachUserPolicy", () =>
    iamClient().send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn })),
  );
}

export type AccessKeyMetadata = { accessKeyId: string; active: boolean; createdAt: Date | null };

export async function listAccessKeys(userName: string): Promise<AccessKeyMetadata[]> {
  const out = await call("iam:ListAccessKeys", () =>
    iamClient().send(new ListAccessKeysCommand({ UserName: userName })),
  );
  return (out.AccessKeyMetadata ?? [])
    .filter((k) => k.AccessKeyId)
    .map((k) => ({ accessKeyId: k.AccessKeyId!, active: k.Status === "Active", createdAt: k.CreateDate ?? null }));
}

export async function listAccessKeyIds(userName: string): Promise<string[]> {
  return (await listAccessKeys(userName)).map((k) => k.accessKeyId);
}

export type AccessKeyUse = { lastUsedAt: Date | null; service: string | null; region: string | null };

/** IAM reports "N/A" for the service and region of a key never used. */
export async function accessKeyLastUsed(accessKeyId: string): Promise<AccessKeyUse> {
  const out = await call("iam:GetAccessKeyLastUsed", () =>
    iamClient().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId })),
  );
  const used = out.AccessKeyLastUsed;
  const known = (v: string | undefined) => (v && v !== "N/A" ? v : null);
  return { lastUsedAt: used?.LastUsedDate ?? null, service: known(used?.ServiceName), region: known(used?.Region) };
}

export async function createAccessKey(userName: string) {
  const out = await call("iam:CreateAccessKey", () =>
    iamClient().send(new CreateAccessKeyCommand({ UserName: userName })),
  );
  return { accessKeyId: out.AccessKey!.AccessKeyId!, secretAccessKey: out.AccessKey!.SecretAccessKey! };
}

/** Deleting a key that is already gone counts as done. */
export async function deleteAccessKey(userName: string, accessKeyId: string) {
  await ignoreMissing(() =>
    call("iam:DeleteAccessKey", () =>
      iamClient().send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId })),
    ),
  );
}

async function ignoreMissing(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (error) {
    if (!isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) throw error;
  }
}

/** Removes each item; one already gone counts as removed, so a rerun after a crash resumes. */
async function removeEach<T>(items: T[] | undefined, remove: (item: T) => Promise<unknown>) {
  for (const item of items ?? []) await ignoreMissing(() => remove(item));
}

/**
 * Removes everything IAM requires gone before DeleteUser, then the user. Returns false when the
 * user did not exist. Callers must first take the user's principal out of every repository policy.
 */
export async function deleteUserCompletely(userName: string): Promise<boolean> {
  if (!(await getUser(userName))) return false;
  const iam = iamClient();
  const user = { UserName: userName };
  for (const keyId of await listAccessKeyIds(userName)) await deleteAccessKey(userName, keyId);
  const attached = await call("iam:ListAttachedUserPolicies", () => iam.send(new ListAttachedUserPoliciesCommand(user)));
  await removeEach(attached.AttachedPolicies, ({ PolicyArn }) =>
    call("iam:DetachUserPolicy", () => iam.send(new DetachUserPolicyCommand({ ...user, PolicyArn }))),
  );
  for (const name of await listUserInlinePolicyNames(userName)) await deleteUserInlinePolicy(userName, name);
  const deleteUser = () => ignoreMissing(() => call("iam:DeleteUser", () => iam.send(new DeleteUserCommand(user))));
  try {
    await deleteUser();
  } catch (error) {
    // Pullgate gives its users nothing but keys and policies, so the rest is looked for only when
    // someone else added some (DeleteUser refuses with DeleteConflict): the usual revocation
    // spends no call on it.
    if (!isAwsError(error, "DeleteConflict", "DeleteConflictException")) throw error;
    await removeAddedByHand(userName);
    await deleteUser();
  }
  return true;
}

/**
 * What else IAM makes DeleteUser wait for. IAM's quotas per user (10 groups, 8 MFA devices, 5 SSH
 * keys, 2 signing certificates, 2 credentials per service) keep each listing to its first page.
 */
async function removeAddedByHand(userName: string) {
  const iam = iamClient();
  const user = { UserName: userName };
  await ignoreMissing(() => call("iam:DeleteLoginProfile", () => iam.send(new DeleteLoginProfileCommand(user))));
  const groups = await call("iam:ListGroupsForUser", () => iam.send(new ListGroupsForUserCommand(user)));
  await removeEach(groups.Groups, ({ GroupName }) =>
    call("iam:RemoveUserFromGroup", () => iam.send(new RemoveUserFromGroupCommand({ ...user, GroupName }))),
  );
  const sshKeys = await call("iam:ListSSHPublicKeys", () => iam.send(new ListSSHPublicKeysCommand(user)));
  await removeEach(sshKeys.SSHPublicKeys, ({ SSHPublicKeyId }) =>
    call("iam:DeleteSSHPublicKey", () => iam.send(new DeleteSSHPublicKeyCommand({ ...user, SSHPublicKeyId }))),
  );
  const certificates = await call("iam:ListSigningCertificates", () => iam.send(new ListSigningCertificatesCommand(user)));
  await removeEach(certificates.Certificates, ({ CertificateId }) =>
    call("iam:DeleteSigningCertificate", () => iam.send(new DeleteSigningCertificateCommand({ ...user, CertificateId }))),
  );
  const credentials = await call("iam:ListServiceSpecificCredentials", () => iam.send(new ListServiceSpecificCredentialsCommand(user)));
  await removeEach(credentials.ServiceSpecificCredentials, ({ ServiceSpecificCredentialId }) =>
    call("iam:DeleteServiceSpecificCredential", () =>
      iam.send(new DeleteServiceSpecificCredentialCommand({ ...user, ServiceSpecificCredentialId })),
    ),
  );
  const devices = await call("iam:ListMFADevices", () => iam.send(new ListMFADevicesCommand(user)));
  const serials = (devices.MFADevices ?? []).map((d) => d.SerialNumber!);
  await removeEach(serials, (SerialNumber) =>
    call("iam:DeactivateMFADevice", () => iam.send(new DeactivateMFADeviceCommand({ ...user, SerialNumber }))),
  );
  // A virtual device (its serial is an `mfa/` ARN) is useless once taken from its only user;
  // hardware tokens and security keys have nothing left in IAM to delete.
  await removeEach(serials.filter((serial) => serial.includes(":mfa/")), (SerialNumber) =>
    call("iam:DeleteVirtualMFADevice", () => iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber }))),
  );
}

/** The names of the user's inline policies. */
export async function listUserInlinePolicyNames(userName: string): Promise<string[]> {
  const out = await call("iam:ListUserPolicies", () => iamClient().send(new ListUserPoliciesCommand({ UserName: userName })));
  return out.PolicyNames ?? [];
}

/** An inline policy's document, or null when the user has no policy of that name. */
export async function getUserInlinePolicy(userName: string, policyName: string): Promise<unknown> {
  try {
    const out = await call("iam:GetUserPolicy", () =>
      iamClient().send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName })),
    );
    return JSON.parse(decodeURIComponent(out.PolicyDocument!));
  } catch (error) {
    if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) return null;
    throw error;
  }
}

export async function putUserInlinePolicy(userName: string, policyName: string, document: object) {
  await call("iam:PutUserPolicy", () =>
    iamClient().send(
      new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument: JSON.stringify(document) }),
    ),
  );
}

/** Deleting a policy that is already gone counts as done. */
export async function deleteUserInlinePolicy(userName: string, policyName: string) {
  await ignoreMissing(() =>
    call("iam:DeleteUserPolicy", () =>
      iamClient().send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: policyName })),
    ),
  );
}

export async function userExists(userName: string) {
  return (await getUser(userName)) !== null;
}

/** Every user under the IAM path (Pullgate never looks outside its own path). */
export async function listUserNames(path: string): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const out = await call("iam:ListUsers", () => iamClient().send(new ListUsersCommand({ PathPrefix: path, Marker: marker })));
    for (const user of out.Users ?? []) if (user.UserName && user.Path === path) names.push(user.UserName);
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return names;
}

/** IAM users in the account against IAM's quota for them (5,000, not adjustable). */
export async function userQuotaUsage(): Promise<{ users: number; quota: number }> {
  const out = await call("iam:GetAccountSummary", () => iamClient().send(new GetAccountSummaryCommand({})));
  return { users: out.SummaryMap?.Users ?? 0, quota: out.SummaryMap?.UsersQuota ?? 5000 };
}

/** IAM's answer when the account already holds as many users as its quota allows. */
export const isUserQuotaReached = (error: unknown) => isAwsError(error, "LimitExceeded", "LimitExceededException");

type SimulatedDecision = "allowed" | "implicitDeny" | "explicitDeny";

/**
 * IAM's policy simulator on an existing user or role: for each action on the resource, with the
 * condition keys given (a list-valued key as a list), whether its policies and boundary allow it.
 * Asked through `iam` when given (the simulator is an administrator's tool, not the portal's).
 */
export async function simulatePrincipalPolicy(
  request: { principalArn: string; actions: string[]; resourceArn: string; context: { key: string; values: string[]; list: boolean }[] },
  iam: IAMClient = iamClient(),
): Promise<{ action: string; decision: SimulatedDecision }[]> {
  const decisions: { action: string; decision: SimulatedDecision }[] = [];
  let marker: string | undefined;
  do {
    const out = await call("iam:SimulatePrincipalPolicy", () =>
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: request.principalArn,
          ActionNames: request.actions,
          ResourceArns: [request.resourceArn],
          ContextEntries: request.context.map((c) => ({ ContextKeyName: c.key, ContextKeyValues: c.values, ContextKeyType: c.list ? "stringList" : "string" })),
          Marker: marker,
        }),
      ),
    );
    for (const r of out.EvaluationResults ?? []) decisions.push({ action: r.EvalActionName!, decision: r.EvalDecision as SimulatedDecision });
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return decisions;
}

export type IamRole = { arn: string; trustPolicy: unknown; permissionsBoundaryArn?: string };

/** A role of the account with its trust policy (parsed) and boundary, or null when there is none of that name. */
export async function getRole(roleName: string, iam: IAMClient = iamClient()): Promise<IamRole | null> {
  try {
    const out = await call("iam:GetRole", () => iam.send(new GetRoleCommand({ RoleName: roleName })));
    const permissionsBoundaryArn = out.Role!.PermissionsBoundary?.PermissionsBoundaryArn;
    // IAM returns policy documents URL-encoded.
    return {
      arn: out.Role!.Arn!,
      trustPolicy: JSON.parse(decodeURIComponent(out.Role!.AssumeRolePolicyDocument ?? "{}")) as unknown,
      ...(permissionsBoundaryArn ? { permissionsBoundaryArn } : {}),
    };
  } catch (error) {
    if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) return null;
    throw error;
  }
}

/** The names of the role's inline policies. */
export async function listRoleInlinePolicyNames(roleName: string): Promise<string[]> {
  const out = await call("iam:ListRolePolicies", () => iamClient().send(new ListRolePoliciesCommand({ RoleName: roleName })));
  return out.PolicyNames ?? [];
}

/** An inline policy's document, or null when the role (or its policy of that name) does not exist. */
export async function getRoleInlinePolicy(roleName: string, policyName: string): Promise<unknown> {
  try {
    const out = await call("iam:GetRolePolicy", () => iamClient().send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })));
    return JSON.parse(decodeURIComponent(out.PolicyDocument!));
  } catch (error) {
    if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) return null;
    throw error;
  }
}
