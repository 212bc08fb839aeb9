import "server-only";
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetAccessKeyLastUsedCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { call, isAwsError } from "./aws-error";
import { iamClient } from "./clients";
import { allowsOnly } from "./login-policy";

export type IamUser = { userName: string; arn: string; userId: string; permissionsBoundaryArn?: string };

export function userArn(accountId: string, path: string, userName: string) {
  return `arn:aws:iam::${accountId}:user${path}${userName}`;
}

/** An account's root principal: in a resource policy it delegates to that account's own IAM. */
export function accountRootArn(accountId: string) {
  return `arn:aws:iam::${accountId}:root`;
}

export function policyArn(accountId: string, path: string, name: string) {
  return `arn:aws:iam::${accountId}:policy${path}${name}`;
}

type ManagedPolicy = { accountId: string; path: string; name: string; description: string; document: object; allowedActions: string[] };

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
    const arn = policyArn(opts.accountId, opts.path, opts.name);
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
    return { userName, arn: out.User!.Arn!, userId: out.User!.UserId!, ...(permissionsBoundaryArn ? { permissionsBoundaryArn } : {}) };
  } catch (error) {
    if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) return null;
    throw error;
  }
}

/**
 * Creates the user unless it exists (a rerun after a crash finds it), tagged with its owner and
 * capped by the permissions boundary.
 */
export async function ensureUser(opts: {
  userName: string;
  path: string;
  permissionsBoundary: string;
  tags: Record<string, string>;
}): Promise<IamUser & { created: boolean }> {
  const existing = await getUser(opts.userName);
  if (existing) return { ...existing, created: false };
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
    return { userName: opts.userName, arn: out.User!.Arn!, userId: out.User!.UserId!, created: true };
  } catch (error) {
    // Another process created it between our read and write.
    if (isAwsError(error, "EntityAlreadyExists", "EntityAlreadyExistsException")) {
      const user = await getUser(opts.userName);
      if (user) return { ...user, created: false };
    }
    throw error;
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

/**
 * Removes everything IAM requires gone before DeleteUser (keys, attached and inline policies, and
 * a login profile if one is in the way), then the user. Returns false when the user did not exist.
 * Callers must first take the user's principal out of every repository policy.
 */
export async function deleteUserCompletely(userName: string): Promise<boolean> {
  if (!(await getUser(userName))) return false;
  const iam = iamClient();
  for (const keyId of await listAccessKeyIds(userName)) await deleteAccessKey(userName, keyId);
  const attached = await call("iam:ListAttachedUserPolicies", () =>
    iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName })),
  );
  for (const policy of attached.AttachedPolicies ?? []) {
    await ignoreMissing(() =>
      call("iam:DetachUserPolicy", () =>
        iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: policy.PolicyArn })),
      ),
    );
  }
  const inline = await call("iam:ListUserPolicies", () => iam.send(new ListUserPoliciesCommand({ UserName: userName })));
  for (const name of inline.PolicyNames ?? []) {
    await ignoreMissing(() =>
      call("iam:DeleteUserPolicy", () => iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: name }))),
    );
  }
  const deleteUser = () => ignoreMissing(() => call("iam:DeleteUser", () => iam.send(new DeleteUserCommand({ UserName: userName }))));
  try {
    await deleteUser();
  } catch (error) {
    // Pullgate never gives its users a console password; only when someone else did (DeleteUser
    // refuses with DeleteConflict) is it removed, so the usual revocation spends no call on it.
    if (!isAwsError(error, "DeleteConflict", "DeleteConflictException")) throw error;
    await ignoreMissing(() => call("iam:DeleteLoginProfile", () => iam.send(new DeleteLoginProfileCommand({ UserName: userName }))));
    await deleteUser();
  }
  return true;
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
