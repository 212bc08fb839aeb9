import { ECRClient, GetRepositoryPolicyCommand, ListTagsForResourceCommand } from "@aws-sdk/client-ecr";
import { AssumeRoleWithWebIdentityCommand, STSClient, type AssumeRoleWithWebIdentityCommandInput } from "@aws-sdk/client-sts";
import {
  GetAccessKeyLastUsedCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
} from "@aws-sdk/client-iam";
import type { AccountDirectory, Countable } from "./aws-refusals";
import type { AwsRequest } from "./aws-request";
import type { OpenedSession } from "./web-identity";

export type Policy = { name: string; policy: unknown };

/**
 * A role's inline policy the emulator holds in place of the role's real ones: moto evaluates
 * every call against Resource "*" and takes any Condition for a denial, so a role whose sessions
 * must get through it is given its actions on "*" under this name, which the oracle does not weigh.
 */
export const EMULATOR_ONLY_ROLE_POLICY = "emulator-only";

/**
 * What AssumeRole bound to a role session, which AWS weighs on every call the session signs: the
 * session policy (inline and managed ones as one document: the session may do only what both it
 * and the role's policies allow), the source identity and tags, and when the credentials expire.
 */
export type RoleSession = {
  policy?: unknown;
  sourceIdentity?: string;
  tags: Record<string, string>;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** aws:userid of the session: the role's unique id and the session's name. */
  userId?: string;
};

/** The terms of a session as the AssumeRole request and answer give them, before managed policies are read. */
export type SessionTerms = Omit<RoleSession, "policy"> & { inlinePolicy?: string; policyArns: string[] };

/** Who signed a request, with every policy AWS would weigh for it; a user unless `type` says a role's session. */
export type Principal = {
  arn: string;
  /** What `aws:PrincipalArn` gives when it is not `arn`: a role session's role, with its path. */
  principalArn?: string;
  accountId: string;
  userName?: string;
  type?: "AssumedRole" | "WebIdentityUser";
  identityPolicies: Policy[];
  boundary?: Policy;
  session?: RoleSession;
};
export type IamUserState = { arn: string; userId?: string; tags: Record<string, string>; boundaryArn?: string };
/**
 * A role as IAM holds it. Only the ARN and trust policy are needed to judge assuming it; the rest
 * is what its own authorizations and sessions weigh (absent, a view knows none).
 */
export type RoleState = { arn: string; trustPolicy: unknown; id?: string; tags?: Record<string, string>; boundaryArn?: string; maxSessionSeconds?: number };
/** An IAM OIDC provider: the issuer URL it trusts, the audiences it accepts, its tags. */
export type OidcProviderState = { url: string; clientIds: string[]; tags: Record<string, string> };

/** What the oracle needs to know about the account, read as its administrator. */
export type AccountView = {
  principalOf(accessKeyId: string): Promise<Principal | null>;
  /** The user as IAM holds it, or null when there is none of that name. */
  user(userName: string): Promise<IamUserState | null>;
  accessKeyOwner(accessKeyId: string): Promise<string | null>;
  repository(region: string, registryId: string, name: string): Promise<{ tags: Record<string, string>; policy?: unknown } | null>;
  /** A role of the account with its trust policy, or null when there is none of that name. */
  role(roleName: string): Promise<RoleState | null>;
  /** The OIDC provider of that ARN, or null when there is none; a view without it holds none. */
  oidcProvider?(arn: string): Promise<OidcProviderState | null>;
};

type Credentials = { accessKeyId: string; secretAccessKey: string };

const errorName = (error: unknown) => (error as { name?: string }).name;
/** The answer, or null for a user that does not exist (the emulator refuses the request itself). */
async function orMissing<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (errorName(error) === "NoSuchEntityException") return null;
    throw error;
  }
}

const decodePolicy = (document: string | undefined) => JSON.parse(decodeURIComponent(document ?? "{}")) as unknown;

/** The changes that add to or take from a counted kind, and by how much. */
const COUNTED_CHANGES: Record<string, [Countable, number]> = {
  CreateUser: ["users", 1],
  DeleteUser: ["users", -1],
  CreateRole: ["roles", 1],
  DeleteRole: ["roles", -1],
  CreateOpenIDConnectProvider: ["oidcProviders", 1],
  DeleteOpenIDConnectProvider: ["oidcProviders", -1],
};

/** A cache of reads, each kept until a change that passed the oracle touches it. */
function memo<T>() {
  const entries = new Map<string, Promise<T>>();
  return {
    get(key: string, read: () => Promise<T>) {
      let found = entries.get(key);
      if (!found) {
        found = read();
        entries.set(key, found);
        // A failed read is tried again on the next request.
        found.catch(() => entries.delete(key));
      }
      return found;
    },
    forget: (key?: string) => (key === undefined ? entries.clear() : entries.delete(key)),
  };
}

const str = (value: unknown) => (typeof value === "string" ? value : undefined);
const tagMap = (tags: { Key?: string; Value?: string }[] | undefined) => Object.fromEntries((tags ?? []).map((t) => [t.Key!, t.Value ?? ""]));

/**
 * The account behind the emulator, read directly (not through the oracle) as the vendor's
 * administrator. Every change to the account passes through the oracle, so reads are cached and
 * `learn` forgets what a change touched. The emulator drops a user's permissions boundary, so
 * boundaries are the ones the oracle saw set on the wire. Principals given in `declared` are
 * judged by the policies declared for them instead of what the emulator holds: the emulator can
 * only hold a policy it can evaluate, which the portal's real one is not.
 */
export function emulatorAccountView(opts: {
  endpoint: string;
  region: string;
  accountId: string;
  admin: Credentials;
  declared: Record<string, Principal>;
  /**
   * Users deleted while a resource policy named them, by ARN, shared by the views of every account:
   * a repository policy in one account may name another's users.
   */
  deletedUserIds?: Map<string, string>;
}) {
  const base = { endpoint: opts.endpoint, credentials: opts.admin, maxAttempts: 3 };
  const iam = new IAMClient({ ...base, region: "us-east-1" });
  // The SDK sends AssumeRoleWithWebIdentity unsigned; this client signs it as it signs AssumeRole (see openSession).
  const schemes = new STSClient({ region: opts.region }).config.httpAuthSchemeProvider;
  const sts = new STSClient({ ...base, region: opts.region, httpAuthSchemeProvider: (params) => schemes({ ...params, operation: "AssumeRole" }) });
  const ecrByRegion = new Map<string, ECRClient>();
  const ecr = (region: string) => {
    let client = ecrByRegion.get(region);
    if (!client) ecrByRegion.set(region, (client = new ECRClient({ ...base, region })));
    return client;
  };
  const boundaries = new Map<string, string>();
  const owners = new Map<string, string>();
  // Keys of role sessions assumed through the oracle: IAM knows no owner for them.
  // `roleId` is the role's when the session began: a role deleted, or made again, ends its sessions.
  const sessions = new Map<string, { roleName: string; roleId?: string; sessionName: string; terms: SessionTerms }>();
  const users = memo<IamUserState | null>();
  const roles = memo<RoleState | null>();
  const oidcProviders = memo<OidcProviderState | null>();
  const principals = memo<Principal | null>();
  const repositories = memo<{ tags: Record<string, string>; policy?: unknown } | null>();
  const counts = new Map<Countable, Promise<number>>();
  // Users deleted while a resource policy named them: AWS shows such a principal as the unique id
  // the user had (AIDA...), and refuses any write that still names it.
  const deletedUserIds = opts.deletedUserIds ?? new Map<string, string>();

  const policyDocument = async (arn: string) => {
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy!.DefaultVersionId! }));
    return decodePolicy(version.PolicyVersion!.Document);
  };

  const readUser = async (userName: string): Promise<IamUserState | null> => {
    const out = await orMissing(() => iam.send(new GetUserCommand({ UserName: userName })));
    if (!out) return null;
    const tags = await iam.send(new ListUserTagsCommand({ UserName: userName }));
    return { arn: out.User!.Arn!, userId: out.User!.UserId!, tags: tagMap(tags.Tags) };
  };
  const user = async (userName: string): Promise<IamUserState | null> => {
    const state = await users.get(userName, () => readUser(userName));
    const boundaryArn = boundaries.get(userName);
    return state && boundaryArn ? { ...state, boundaryArn } : state;
  };

  const readRole = async (roleName: string): Promise<RoleState | null> => {
    const out = await orMissing(() => iam.send(new GetRoleCommand({ RoleName: roleName })));
    if (!out) return null;
    const { Arn, RoleId, AssumeRolePolicyDocument, Tags, MaxSessionDuration, PermissionsBoundary } = out.Role!;
    const boundaryArn = PermissionsBoundary?.PermissionsBoundaryArn;
    return { arn: Arn!, id: RoleId!, trustPolicy: decodePolicy(AssumeRolePolicyDocument), tags: tagMap(Tags), maxSessionSeconds: MaxSessionDuration ?? 3600, ...(boundaryArn ? { boundaryArn } : {}) };
  };
  const role = (roleName: string) => roles.get(roleName, () => readRole(roleName));

  const readOidcProvider = async (arn: string): Promise<OidcProviderState | null> => {
    const out = await orMissing(() => iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
    return out && { url: out.Url!, clientIds: out.ClientIDList ?? [], tags: tagMap(out.Tags) };
  };

  const accessKeyOwner = async (accessKeyId: string) => {
    const known = owners.get(accessKeyId);
    if (known) return known;
    try {
      const owner = (await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }))).UserName;
      if (!owner) return null;
      // moto 5.2 answers GetAccessKeyLastUsed with the user of that name in whichever account holds
      // the key (every account has a "vendor-administrator"); the owner is this account's only if
      // its user of that name holds the key.
      const held = await orMissing(() => iam.send(new ListAccessKeysCommand({ UserName: owner })));
      if (!held?.AccessKeyMetadata?.some((k) => k.AccessKeyId === accessKeyId)) return null;
      // A key's owner never changes; an unknown key may be created later, so only owners are kept.
      owners.set(accessKeyId, owner);
      return owner;
    } catch {
      return null;
    }
  };

  /** A user's policies and recorded boundary, as AWS weighs them for a request it signs. */
  const userPrincipal = async (userName: string, state: IamUserState): Promise<Principal> => {
    const declared = opts.declared[state.arn];
    if (declared) return declared;
    const inline = await iam.send(new ListUserPoliciesCommand({ UserName: userName }));
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }));
    const identityPolicies: Policy[] = [];
    for (const name of inline.PolicyNames ?? []) {
      const out = await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name }));
      identityPolicies.push({ name, policy: decodePolicy(out.PolicyDocument) });
    }
    for (const p of attached.AttachedPolicies ?? []) identityPolicies.push({ name: p.PolicyName!, policy: await policyDocument(p.PolicyArn!) });
    const boundary = state.boundaryArn ? { name: state.boundaryArn, policy: await policyDocument(state.boundaryArn) } : undefined;
    return { arn: state.arn, accountId: opts.accountId, userName, identityPolicies, ...(boundary ? { boundary } : {}) };
  };

  const readPrincipal = async (accessKeyId: string): Promise<Principal | null> => {
    const session = sessions.get(accessKeyId);
    if (session) return sessionPrincipal(session);
    const userName = await accessKeyOwner(accessKeyId);
    const state = userName ? await user(userName) : null;
    if (!userName || !state) return null;
    return userPrincipal(userName, state);
  };

  /** A role's policies and boundary, as IAM's simulator weighs them for that role. */
  const rolePrincipal = async (roleName: string): Promise<Principal | null> => {
    const out = await orMissing(() => iam.send(new GetRoleCommand({ RoleName: roleName })));
    if (!out) return null;
    const arn = out.Role!.Arn!;
    if (opts.declared[arn]) return opts.declared[arn];
    const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
    const identityPolicies: Policy[] = [];
    for (const name of (inline.PolicyNames ?? []).filter((n) => n !== EMULATOR_ONLY_ROLE_POLICY)) {
      const policy = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
      identityPolicies.push({ name, policy: decodePolicy(policy.PolicyDocument) });
    }
    for (const p of attached.AttachedPolicies ?? []) identityPolicies.push({ name: p.PolicyName!, policy: await policyDocument(p.PolicyArn!) });
    const boundaryArn = out.Role!.PermissionsBoundary?.PermissionsBoundaryArn;
    const boundary = boundaryArn ? { name: boundaryArn, policy: await policyDocument(boundaryArn) } : undefined;
    return { arn, accountId: opts.accountId, identityPolicies, ...(boundary ? { boundary } : {}) };
  };

  /**
   * The inline and managed session policies as one document: AWS allows what any of them allows.
   * Sids are dropped, as two documents may share one.
   */
  const sessionPolicy = async (inlinePolicy: string | undefined, policyArns: string[]): Promise<unknown> => {
    const documents = [...(inlinePolicy ? [JSON.parse(inlinePolicy) as unknown] : []), ...(await Promise.all(policyArns.map(policyDocument)))];
    if (documents.length === 0) return undefined;
    const withoutSid = (statement: object) => Object.fromEntries(Object.entries(statement).filter(([key]) => key !== "Sid"));
    return { Version: "2012-10-17", Statement: documents.flatMap((d) => [(d as { Statement?: object }).Statement ?? []].flat()).map(withoutSid) };
  };

  /**
   * A role's session, weighed by the role's policies and boundary and its own terms, under the
   * session's own ARN. Once its role is deleted (or made again: a new role, with a new id) the
   * session still signs, but with no policy left to allow anything.
   */
  const sessionPrincipal = async ({ roleName, roleId, sessionName, terms }: { roleName: string; roleId?: string; sessionName: string; terms: SessionTerms }): Promise<Principal> => {
    const current = await role(roleName);
    const sameRole = current && (roleId === undefined || current.id === roleId);
    const policies = sameRole ? await rolePrincipal(roleName) : null;
    const { inlinePolicy, policyArns, ...bound } = terms;
    const policy = await sessionPolicy(inlinePolicy, policyArns);
    return {
      ...(policies ?? { accountId: opts.accountId, identityPolicies: [] }),
      arn: `arn:aws:sts::${opts.accountId}:assumed-role/${roleName}/${sessionName}`,
      principalArn: policies?.arn ?? `arn:aws:iam::${opts.accountId}:role/${roleName}`,
      type: "AssumedRole",
      session: { ...bound, ...(policy ? { policy } : {}) },
    };
  };

  /** The user or role an ARN names (IAM's simulator takes either), or null when there is none. */
  const principalByArn = async (arn: string): Promise<Principal | null> => {
    const match = /^arn:[^:]+:iam::\d{12}:(user|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (!match) return null;
    if (match[1] === "role") return rolePrincipal(match[2]!);
    const state = await user(match[2]!);
    return state && state.arn === arn ? userPrincipal(match[2]!, state) : null;
  };

  const readRepository = async (region: string, registryId: string, name: string) => {
    const arn = `arn:aws:ecr:${region}:${registryId}:repository/${name}`;
    try {
      const tags = await ecr(region).send(new ListTagsForResourceCommand({ resourceArn: arn }));
      let policy: unknown;
      try {
        const out = await ecr(region).send(new GetRepositoryPolicyCommand({ registryId, repositoryName: name }));
        policy = out.policyText ? JSON.parse(asAwsShows(out.policyText)) : undefined;
      } catch (error) {
        if (errorName(error) !== "RepositoryPolicyNotFoundException") throw error;
      }
      return { tags: tagMap(tags.tags), policy };
    } catch (error) {
      if (errorName(error) === "RepositoryNotFoundException") return null;
      throw error;
    }
  };

  /** One page of each kind counted: how many it holds, and where the next one starts. */
  const pages: Record<Countable, (Marker?: string) => Promise<{ items: number; next?: string }>> = {
    users: async (Marker) => {
      const page = await iam.send(new ListUsersCommand({ Marker, MaxItems: 1000 }));
      return { items: page.Users?.length ?? 0, next: page.IsTruncated ? page.Marker : undefined };
    },
    roles: async (Marker) => {
      const page = await iam.send(new ListRolesCommand({ Marker, MaxItems: 1000 }));
      return { items: page.Roles?.length ?? 0, next: page.IsTruncated ? page.Marker : undefined };
    },
    // IAM lists every provider at once.
    oidcProviders: async () => ({ items: (await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList?.length ?? 0 }),
  };
  const countAll = async (kind: Countable) => {
    let total = 0;
    let marker: string | undefined;
    do {
      const page = await pages[kind](marker);
      total += page.items;
      marker = page.next;
    } while (marker);
    return total;
  };
  const count = (kind: Countable) => {
    let found = counts.get(kind);
    if (!found) counts.set(kind, (found = countAll(kind)));
    return found;
  };
  const adjustCount = (kind: Countable, by: number) => {
    const found = counts.get(kind);
    if (found) counts.set(kind, found.then((n) => n + by));
  };

  /** Forgets what a change that AWS accepted touched. */
  const learn = async (request: AwsRequest) => {
    const [service, name = ""] = request.action.split(":");
    if (/^(Get|List|Describe|BatchGet|BatchCheck)/.test(name)) return;
    const { params } = request;
    if (service === "ecr") {
      const repository = str(params.repositoryName) ?? str(params.resourceArn)?.split(":repository/")[1];
      const registryId = str(params.registryId) ?? str(params.resourceArn)?.split(":")[4] ?? opts.accountId;
      if (repository) repositories.forget(`${request.region}/${registryId}/${repository}`);
      return;
    }
    if (service !== "iam") return;
    const userName = str(params.UserName);
    const counted = COUNTED_CHANGES[name];
    if (counted) adjustCount(...counted);
    if (userName && (name === "CreateUser" || name === "PutUserPermissionsBoundary")) boundaries.set(userName, str(params.PermissionsBoundary) ?? "");
    if (userName && (name === "DeleteUser" || name === "DeleteUserPermissionsBoundary")) boundaries.delete(userName);
    if (userName && name === "DeleteUser") {
      // The judgement read the user just before it went.
      const gone = await users.get(userName, async () => null);
      // The emulator's ids are not shaped like AWS's (AIDA and 17 more characters); AWS's are.
      if (gone?.userId) deletedUserIds.set(gone.arn, `AIDA${gone.userId.toUpperCase()}`.slice(0, 21).padEnd(21, "X"));
    }
    if (userName) users.forget(userName);
    const roleName = str(params.RoleName);
    if (roleName) roles.forget(roleName);
    // A new provider's ARN is its URL's; forgetting them all is simpler than deriving it.
    if (name.endsWith("OpenIDConnectProvider")) oidcProviders.forget(str(params.OpenIDConnectProviderArn));
    // Policies of a principal change with its user; a managed policy's new version changes anyone's.
    principals.forget();
  };

  /** A repository policy as AWS shows it: deleted users' ARNs replaced by their unique ids. */
  const asAwsShows = (policyText: string) =>
    [...deletedUserIds].reduce((text, [arn, userId]) => text.split(JSON.stringify(arn)).join(JSON.stringify(userId)), policyText);

  const view: AccountDirectory & {
    learn(request: AwsRequest): Promise<void>;
    oidcProvider(arn: string): Promise<OidcProviderState | null>;
    openSession(input: AssumeRoleWithWebIdentityCommandInput): Promise<OpenedSession>;
    learnSession(accessKeyId: string, roleArn: string, sessionName: string, terms: SessionTerms): Promise<void>;
    asAwsShows(policyText: string): string;
    principalByArn(arn: string): Promise<Principal | null>;
    destroy(): void;
  } = {
    accountId: opts.accountId,
    principalOf: (accessKeyId) => principals.get(accessKeyId, () => readPrincipal(accessKeyId)),
    // Cached beside the principals by key, and forgotten with them.
    principalByArn: (arn) => principals.get(`arn ${arn}`, () => principalByArn(arn)),
    user,
    accessKeyOwner,
    count,
    async attachedPolicyCount(userName) {
      const out = await orMissing(() => iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName })));
      return out?.AttachedPolicies?.length ?? 0;
    },
    async inlinePolicies(userName, except) {
      const names = (await orMissing(() => iam.send(new ListUserPoliciesCommand({ UserName: userName }))))?.PolicyNames ?? [];
      const documents: string[] = [];
      for (const name of names.filter((n) => n !== except)) {
        const out = await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name }));
        documents.push(decodeURIComponent(out.PolicyDocument ?? ""));
      }
      return documents;
    },
    async roleExists(roleName) {
      return (await orMissing(() => iam.send(new GetRoleCommand({ RoleName: roleName })))) !== null;
    },
    role,
    oidcProvider: (arn) => oidcProviders.get(arn, () => readOidcProvider(arn)),
    repository: (region, registryId, name) => repositories.get(`${region}/${registryId}/${name}`, () => readRepository(region, registryId, name)),
    learn,
    async learnSession(accessKeyId, roleArn, sessionName, terms) {
      const roleName = roleArn.split("/").pop()!;
      sessions.set(accessKeyId, { roleName, roleId: (await role(roleName))?.id, sessionName, terms });
      // An unknown key's principal is cached as null; this one is known from now on.
      principals.forget(accessKeyId);
    },
    asAwsShows,
    /**
     * A web identity's session of a role as the emulator hands it out, asked signed by the
     * administrator: the oracle judged it already, and moto, enforcing authentication, fails on
     * the unsigned request AWS takes (an AssumeRole it would check against the trust policy,
     * which trusts only the provider).
     */
    async openSession(input) {
      const out = await sts.send(new AssumeRoleWithWebIdentityCommand(input));
      const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = out.Credentials!;
      return {
        credentials: { accessKeyId: AccessKeyId!, secretAccessKey: SecretAccessKey!, sessionToken: SessionToken!, expiration: Expiration! },
        assumedRoleId: out.AssumedRoleUser!.AssumedRoleId!,
        arn: out.AssumedRoleUser!.Arn!,
      };
    },
    destroy() {
      iam.destroy();
      sts.destroy();
      for (const client of ecrByRegion.values()) client.destroy();
    },
  };
  return view;
}
