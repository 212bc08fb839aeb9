import type { AccountView } from "./account-view";
import { members, type AwsRequest } from "./aws-request";

/**
 * AWS's quotas as the oracle enforces them. The defaults are AWS's; a test reaches a limit by
 * setting it low (`setLimits`) rather than by creating 5,000 users. IAM's propagation delay is the
 * exception: it defaults to none, so that only the tests about it wait it out.
 */
export type AwsLimits = {
  usersPerAccount: number;
  rolesPerAccount: number;
  oidcProvidersPerAccount: number;
  managedPoliciesPerUser: number;
  /** Characters of all of a user's inline policies together, whitespace not counted. */
  inlinePolicyCharactersPerUser: number;
  trustPolicyCharacters: number;
  repositoryPolicyCharacters: number;
  /** Characters of AssumeRole's inline session policy, counted as sent (whitespace too). */
  sessionPolicyCharacters: number;
  /** Managed policies AssumeRole takes as session policies. */
  sessionPolicyArns: number;
  /**
   * Seconds after its creation during which ECR does not find a new user or role yet and refuses
   * a repository policy naming it (seconds up to ~2 minutes in AWS).
   */
  principalVisibleAfterSeconds: number;
};

export const AWS_LIMITS: AwsLimits = {
  usersPerAccount: 5000,
  rolesPerAccount: 1000,
  oidcProvidersPerAccount: 100,
  managedPoliciesPerUser: 10,
  inlinePolicyCharactersPerUser: 2048,
  trustPolicyCharacters: 2048,
  repositoryPolicyCharacters: 10_240,
  sessionPolicyCharacters: 2048,
  sessionPolicyArns: 10,
  principalVisibleAfterSeconds: 0,
};

/** An error AWS answers instead of acting: its code, message and HTTP status. */
export type Refusal = { code: string; message: string; status: number };

/** What IAM counts against a per-account quota. */
export type Countable = "users" | "roles" | "oidcProviders";

export type AccountDirectory = AccountView & {
  /** The emulator's own account: its users and roles are checked one by one. */
  accountId: string;
  /** Every user, role or OIDC provider in the account, counted for the quotas. */
  count(kind: Countable): Promise<number>;
  attachedPolicyCount(userName: string): Promise<number>;
  /** The user's inline policies other than `except`, as stored. */
  inlinePolicies(userName: string, except: string): Promise<string[]>;
  roleExists(roleName: string): Promise<boolean>;
};

// IAM counts a policy's size without its whitespace.
const policySize = (document: string) => document.replace(/\s/g, "").length;

const limitExceeded = (message: string): Refusal => ({ code: "LimitExceeded", message, status: 409 });
const invalidPolicy = (message: string): Refusal => ({ code: "InvalidParameterException", message, status: 400 });

function principalsOf(policyText: string): string[] | null {
  try {
    const { Statement } = JSON.parse(policyText) as { Statement?: unknown };
    return [Statement]
      .flat()
      .flatMap((s) => [(s as { Principal?: { AWS?: unknown } | string } | null)?.Principal].flat())
      .flatMap((p) => (typeof p === "string" ? [p] : [p?.AWS].flat()))
      .filter((p): p is string => typeof p === "string");
  } catch {
    return null;
  }
}

/** AssumeRole's DurationSeconds constraints (a role's own maximum, 1 to 12 hours, is checked later: `sessionTooLong`). */
const SESSION_SECONDS = { min: 900, max: 43_200 };

const constraintViolation = (value: string, member: string, rule: string) => `Value '${value}' at '${member}' failed to satisfy constraint: Member must ${rule}`;

/**
 * What AWS refuses before authorizing, as the API's input constraints: for AssumeRole (with a web
 * identity too), a duration out of range, an inline session policy over its length (its plaintext
 * as sent, unlike IAM's stored policies, whose whitespace does not count) or too many managed
 * session policies, all told in one ValidationError; then an inline policy that is not JSON. Null
 * when AWS goes on.
 */
export function invalidRequestOf(request: AwsRequest, limits: AwsLimits): Refusal | null {
  if (request.action !== "sts:AssumeRole" && request.action !== "sts:AssumeRoleWithWebIdentity") return null;
  const { params } = request;
  const policy = typeof params.Policy === "string" ? params.Policy : undefined;
  const policyArns = members(params, "PolicyArns", "arn");
  const duration = typeof params.DurationSeconds === "string" ? Number(params.DurationSeconds) : undefined;
  const violations = [
    duration !== undefined && duration < SESSION_SECONDS.min && constraintViolation(String(duration), "durationSeconds", `have value greater than or equal to ${SESSION_SECONDS.min}`),
    duration !== undefined && duration > SESSION_SECONDS.max && constraintViolation(String(duration), "durationSeconds", `have value less than or equal to ${SESSION_SECONDS.max}`),
    policy !== undefined && [...policy].length > limits.sessionPolicyCharacters &&
      constraintViolation(policy, "policy", `have length less than or equal to ${limits.sessionPolicyCharacters}`),
    policyArns.length > limits.sessionPolicyArns &&
      constraintViolation(`[${policyArns.map((arn) => `PolicyDescriptorType(arn=${arn})`).join(", ")}]`, "policyArns", `have length less than or equal to ${limits.sessionPolicyArns}`),
  ].filter((violation): violation is string => typeof violation === "string");
  if (violations.length) {
    const count = violations.length === 1 ? "1 validation error" : `${violations.length} validation errors`;
    return { code: "ValidationError", message: `${count} detected: ${violations.join("; ")}`, status: 400 };
  }
  if (policy !== undefined && !isJson(policy)) return { code: "MalformedPolicyDocument", message: "The policy is not in the valid JSON format.", status: 400 };
  return null;
}

/** AWS refuses a session longer than its role allows (the role's MaxSessionDuration; an hour unless asked). */
export function sessionTooLong(params: Record<string, unknown>, maxSessionSeconds: number): Refusal | null {
  const duration = typeof params.DurationSeconds === "string" ? Number(params.DurationSeconds) : 3600;
  if (duration <= maxSessionSeconds) return null;
  return { code: "ValidationError", message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", status: 400 };
}

/** The one hour STS gives at most a role session assumed with another role session's credentials. */
const ROLE_CHAINING_SECONDS = 3600;

/**
 * AWS refuses AssumeRole for longer than the role's MaxSessionDuration, and, when the caller is
 * itself a role session (role chaining), for longer than an hour whatever the role allows.
 */
export async function assumeRoleTooLong(request: AwsRequest, caller: { type?: string }, viewOf: (accountId: string) => AccountView | null | undefined): Promise<Refusal | null> {
  if (request.action !== "sts:AssumeRole") return null;
  const duration = typeof request.params.DurationSeconds === "string" ? Number(request.params.DurationSeconds) : 3600;
  if (caller.type === "AssumedRole" && duration > ROLE_CHAINING_SECONDS) {
    return { code: "ValidationError", message: "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", status: 400 };
  }
  // The role is weighed in its own account, which may not be the caller's.
  const [, accountId = "", roleName] = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(String(request.params.RoleArn ?? "")) ?? [];
  const view = viewOf(accountId);
  const role = view && roleName ? await view.role(roleName) : null;
  return sessionTooLong(request.params, role?.maxSessionSeconds ?? 3600);
}

function isJson(text: string) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** AWS's answer to a request signed with a session whose credentials have expired, in each protocol's words. */
export function expiredToken(service: string): Refusal {
  if (service === "s3") return { code: "ExpiredToken", message: "The provided token has expired.", status: 400 };
  return { code: "ExpiredToken", message: "The security token included in the request is expired", status: service === "ecr" ? 400 : 403 };
}

/** The ARN of the user or role a successful CreateUser or CreateRole answer (awsQuery XML) tells of: IAM propagates it from then. */
export function createdPrincipal(action: string, answer: string): string | null {
  if (action !== "iam:CreateUser" && action !== "iam:CreateRole") return null;
  return /<Arn>([^<]+)<\/Arn>/.exec(answer)?.[1] ?? null;
}

/** The directories of the oracle's other accounts, by id (null for one it does not hold). */
export type OtherDirectories = (accountId: string) => AccountDirectory | null;

/**
 * Whether a principal named in a resource policy exists, as ECR checks on every write: a user or
 * role of an account the oracle holds (the one written to, or `elsewhere`) is looked up there.
 */
async function principalExists(principal: string, accounts: ReadonlySet<string>, directory: AccountDirectory, elsewhere?: OtherDirectories) {
  if (principal === "*") return true;
  if (/^\d{12}$/.test(principal)) return accounts.has(principal);
  const arn = /^arn:[^:]+:iam::(\d{12}):(root|user|role)(?:\/(.*))?$/.exec(principal);
  if (!arn) return false; // unique ids (AIDA..., AROA...): what AWS leaves of a deleted principal
  const [, account, kind, rest] = arn;
  if (!accounts.has(account!)) return false;
  if (kind === "root") return true;
  const holder = account === directory.accountId ? directory : (elsewhere?.(account!) ?? null);
  if (!holder) return true; // another account's IAM (a customer's) is not the emulator's
  const name = rest!.split("/").pop()!;
  if (kind === "role") return holder.roleExists(name);
  return (await holder.user(name))?.arn === principal;
}

/**
 * What AWS refuses after authorizing: sizes, quotas, principals that do not exist and ones IAM
 * has not propagated yet (`createdAt`: when each principal created through the oracle was, by
 * ARN; any other is old enough). `directory` is the account the request acts in; `elsewhere` the
 * oracle's other accounts, whose principals a repository policy may name. Returns the refusal, or
 * null when AWS would act on the request.
 */
export async function refusalOf(
  request: AwsRequest,
  limits: AwsLimits,
  accounts: ReadonlySet<string>,
  directory: AccountDirectory,
  createdAt: ReadonlyMap<string, number>,
  elsewhere?: OtherDirectories,
): Promise<Refusal | null> {
  const { params } = request;
  const text = (name: string) => (typeof params[name] === "string" ? (params[name] as string) : "");
  switch (request.action) {
    case "ecr:SetRepositoryPolicy": {
      const policy = text("policyText");
      if (policy.length > limits.repositoryPolicyCharacters) {
        return invalidPolicy(`Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Member must have length less than or equal to ${limits.repositoryPolicyCharacters}'`);
      }
      const principals = principalsOf(policy) ?? [];
      for (const principal of principals) {
        if (!(await principalExists(principal, accounts, directory, elsewhere))) return invalidPolicy("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
        if (Date.now() - (createdAt.get(principal) ?? -Infinity) < limits.principalVisibleAfterSeconds * 1000) {
          return invalidPolicy("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Principal not found'");
        }
      }
      return null;
    }
    case "iam:CreateUser":
      return (await directory.count("users")) >= limits.usersPerAccount ? limitExceeded(`Cannot exceed quota for UsersPerAccount: ${limits.usersPerAccount}`) : null;
    case "iam:CreateRole":
      if (policySize(text("AssumeRolePolicyDocument")) > limits.trustPolicyCharacters) return limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${limits.trustPolicyCharacters}`);
      return (await directory.count("roles")) >= limits.rolesPerAccount ? limitExceeded(`Cannot exceed quota for RolesPerAccount: ${limits.rolesPerAccount}`) : null;
    case "iam:CreateOpenIDConnectProvider":
      return (await directory.count("oidcProviders")) >= limits.oidcProvidersPerAccount
        ? limitExceeded(`Cannot exceed quota for OpenIdConnectProvidersPerAccount: ${limits.oidcProvidersPerAccount}`)
        : null;
    case "iam:UpdateAssumeRolePolicy":
      return policySize(text("PolicyDocument")) > limits.trustPolicyCharacters ? limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${limits.trustPolicyCharacters}`) : null;
    case "iam:AttachUserPolicy":
      return (await directory.attachedPolicyCount(text("UserName"))) >= limits.managedPoliciesPerUser
        ? limitExceeded(`Cannot exceed quota for PoliciesPerUser: ${limits.managedPoliciesPerUser}`)
        : null;
    case "iam:PutUserPolicy": {
      const others = await directory.inlinePolicies(text("UserName"), text("PolicyName"));
      const total = [...others, text("PolicyDocument")].reduce((sum, doc) => sum + policySize(doc), 0);
      return total > limits.inlinePolicyCharactersPerUser
        ? limitExceeded(`Maximum policy size of ${limits.inlinePolicyCharactersPerUser} bytes exceeded for user ${text("UserName")}`)
        : null;
    }
    default:
      return null;
  }
}

/** GetAccountSummary as AWS answers it: the emulator's counts with the quotas in force. */
export function withQuotas(xml: string, limits: AwsLimits) {
  const quotas: Record<string, number> = {
    UsersQuota: limits.usersPerAccount,
    RolesQuota: limits.rolesPerAccount,
    AttachedPoliciesPerUserQuota: limits.managedPoliciesPerUser,
    UserPolicySizeQuota: limits.inlinePolicyCharactersPerUser,
    AssumeRolePolicySizeQuota: limits.trustPolicyCharacters,
  };
  return Object.entries(quotas).reduce(
    (out, [key, value]) => out.replace(new RegExp(`(<key>${key}</key>\\s*<value>)\\d+(</value>)`), `$1${value}$2`),
    xml,
  );
}
