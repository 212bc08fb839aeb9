import type { AccountView } from "./account-view";
import type { AwsRequest } from "./aws-request";

/**
 * AWS's quotas as the oracle enforces them. The defaults are AWS's; a test reaches a limit by
 * setting it low (`setLimits`) rather than by creating 5,000 users. IAM's propagation delay is the
 * exception: it defaults to none, so that only the tests about it wait it out.
 */
export type AwsLimits = {
  usersPerAccount: number;
  rolesPerAccount: number;
  managedPoliciesPerUser: number;
  /** Characters of all of a user's inline policies together, whitespace not counted. */
  inlinePolicyCharactersPerUser: number;
  trustPolicyCharacters: number;
  repositoryPolicyCharacters: number;
  /**
   * Seconds after its creation during which ECR does not find a new user or role yet and refuses
   * a repository policy naming it (seconds up to ~2 minutes in AWS).
   */
  principalVisibleAfterSeconds: number;
};

export const AWS_LIMITS: AwsLimits = {
  usersPerAccount: 5000,
  rolesPerAccount: 1000,
  managedPoliciesPerUser: 10,
  inlinePolicyCharactersPerUser: 2048,
  trustPolicyCharacters: 2048,
  repositoryPolicyCharacters: 10_240,
  principalVisibleAfterSeconds: 0,
};

/** An error AWS answers instead of acting: its code, message and HTTP status. */
export type Refusal = { code: string; message: string; status: number };

export type AccountDirectory = AccountView & {
  /** The emulator's own account: its users and roles are checked one by one. */
  accountId: string;
  /** Every user and role in the account, counted for the quotas. */
  count(kind: "users" | "roles"): Promise<number>;
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
