// The AWS oracle judges role sessions as AWS does, where the emulator ignores all of it: the
// trust policy must allow setting a source identity and passing session tags, an inline session
// policy narrows the role and has a length limit, a deny keyed on the source identity stops a
// live session, and registry tokens last 12 hours or until the session that minted them ends.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { RepositoryRef } from "@/lib/aws/ecr";
import { PULL_ACTIONS } from "@/lib/aws/pull-policy";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import { judgePullWithRegistryToken, readOracleReport, setOracleClock } from "../support/aws-oracle/oracle-proxy";
import { expectAccessDenied } from "../support/aws-oracle/oracle-verdicts";
import { boto3, sessionCredentials, type Credentials } from "../support/boto3";
import { pullAs } from "../support/customer-pull";
import { unique } from "../support/seed";

const ctx = inject("integration");
const PATH = "/it-oracle/";
const PRODUCT_TAG = "pullgate-product";
const CUSTOMER_TAG = "pullgate-customer";
const FULL_TRUST = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"];
const HOUR_MS = 60 * 60 * 1000;

type Answer = Record<string, unknown>;
type Session = Required<Credentials> & { arn: string; expiration: Date };

const policy = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const LOGIN = { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" };
/** Pulls from the given products' repositories, as the portal's session policy grants them. */
const productPull = (products: string[]) => ({
  Effect: "Allow",
  Action: PULL_ACTIONS,
  Resource: "arn:aws:ecr:*:*:repository/*",
  Condition: { StringEquals: { [`aws:ResourceTag/${PRODUCT_TAG}`]: products } },
});
const sessionPolicy = (products: string[]) => JSON.stringify(policy(LOGIN, productPull(products)));
// The role pulls from any product's repository; its sessions only from theirs.
const ROLE_PULL = policy({ ...productPull([]), Condition: { Null: { [`aws:ResourceTag/${PRODUCT_TAG}`]: "false" } } });

/** One call through the oracle, as the vendor's administrator unless told; its answer, or `{ Error: code }`. */
const call = (service: string, method: string, args: object, credentials: Credentials = ctx.admin) => boto3(ctx, credentials, service, method, args);
// boto3 prints its datetimes as "2026-12-05 10:00:00.123000+00:00".
const dateOf = (printed: unknown) => new Date(String(printed).replace(" ", "T"));

const admin = vendorAdmin({ endpoint: ctx.awsEndpoint, region: ctx.region, accountId: ctx.accountId, credentials: ctx.admin });
const products = { listed: unique("prod-listed"), other: unique("prod-other") };
let listed: RepositoryRef;
let other: RepositoryRef;
/** The principal that assumes the test's roles: a user allowed to, as the portal will be. */
let caller: { arn: string; credentials: Credentials };

async function productRepository(product: string): Promise<RepositoryRef> {
  const name = `it-oracle/${unique("repo")}`;
  expect(await call("ecr", "create_repository", { repositoryName: name, tags: [{ Key: PRODUCT_TAG, Value: product }] })).not.toHaveProperty("Error");
  return { accountId: ctx.accountId, region: ctx.region, name };
}

/** A broker role of the test's own, trusting the caller for each of `trust` (an action, or a whole statement), with a pull and a login policy. */
async function brokerRole(trust: (string | object)[] = FULL_TRUST) {
  const name = unique("broker");
  const statements = trust.map((action) => (typeof action === "string" ? { Effect: "Allow", Principal: { AWS: caller.arn }, Action: action } : action));
  const arn = await admin.createRole(name, { path: PATH, trustPolicy: policy(...statements), inlinePolicies: { pull: ROLE_PULL, login: policy(LOGIN) } });
  return { name, arn };
}

/** The caller's AssumeRole of the role, for an hour unless told: STS's answer, or `{ Error: code }`. */
const assume = (roleArn: string, args: object = {}) =>
  call("sts", "assume_role", { RoleArn: roleArn, RoleSessionName: unique("pullgate"), DurationSeconds: 3600, ...args }, caller.credentials);

function sessionOf(answer: Answer): Session {
  const { Credentials, AssumedRoleUser } = answer as { Credentials: { Expiration: string }; AssumedRoleUser: { Arn: string } };
  return { ...(sessionCredentials(answer) as Required<Credentials>), arn: AssumedRoleUser.Arn, expiration: dateOf(Credentials.Expiration) };
}

const assumed = async (roleArn: string, args: object = {}) => sessionOf(await assume(roleArn, args));

const getAuthorizationToken = (credentials: Credentials) => call("ecr", "get_authorization_token", {}, credentials);

/** The registry token `credentials` get, as `aws ecr get-login-password` asks for it, with its password as `docker login` takes it. */
async function registryToken(credentials: Credentials) {
  const [data] = (await getAuthorizationToken(credentials)).authorizationData as { authorizationToken: string; expiresAt: string }[];
  const password = Buffer.from(data!.authorizationToken, "base64").toString("utf8").split(":")[1]!;
  return { token: data!.authorizationToken, password, expiresAt: dateOf(data!.expiresAt) };
}

const pullWithToken = (registryToken: string, repo: RepositoryRef) =>
  judgePullWithRegistryToken(ctx.awsEndpoint, { registryToken, region: repo.region, registryId: repo.accountId, repositoryName: repo.name });

/** What the oracle refused, as "action code: message", since `before` read its report. */
const refusedSince = async (before: { refused: unknown[] }) =>
  (await readOracleReport(ctx.awsEndpoint)).refused.slice(before.refused.length).map((r) => `${r.action} ${r.code}: ${r.message}`);

/** A user's new access key, as IAM answers create_access_key. */
function keyCredentials(answer: Answer): Credentials {
  const { AccessKeyId, SecretAccessKey } = (answer as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } }).AccessKey;
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey };
}

beforeAll(async () => {
  const userName = unique("broker-caller");
  // At the root path: the emulator checks a trust policy against the caller's ARN without its path.
  const { arn } = await admin.createUser(userName, "/");
  await admin.putUserPolicy(userName, "assume-brokers", policy({ Effect: "Allow", Action: FULL_TRUST, Resource: `arn:aws:iam::${ctx.accountId}:role${PATH}*` }, LOGIN));
  caller = { arn, credentials: keyCredentials(await call("iam", "create_access_key", { UserName: userName })) };
  [listed, other] = await Promise.all([productRepository(products.listed), productRepository(products.other)]);
});

afterAll(() => admin.destroy());

describe("the AWS oracle's role sessions", () => {
  it("refuses a source identity unless the role's trust policy allows sts:SetSourceIdentity", async () => {
    const customer = unique("customer");
    const withoutIt = await brokerRole(["sts:AssumeRole"]);
    expectAccessDenied((d) => d.action === "sts:SetSourceIdentity" && d.resource === withoutIt.arn && d.principal === caller.arn);
    expect(await assume(withoutIt.arn, { SourceIdentity: customer })).toEqual({ Error: "AccessDenied" });
    expect((await assumed(withoutIt.arn)).arn).toContain(`:assumed-role/${withoutIt.name}/`);

    const withIt = await brokerRole(["sts:AssumeRole", "sts:SetSourceIdentity"]);
    expect(await assume(withIt.arn, { SourceIdentity: customer })).toHaveProperty("Credentials");
  });

  it("refuses session tags unless the trust policy allows sts:TagSession, for the tag keys it allows", async () => {
    const customer = unique("customer");
    const tagged = (key: string) => ({ SourceIdentity: customer, Tags: [{ Key: key, Value: customer }] });
    const untagging = await brokerRole(["sts:AssumeRole", "sts:SetSourceIdentity"]);
    expectAccessDenied((d) => d.action === "sts:TagSession" && d.resource === untagging.arn);
    expect(await assume(untagging.arn, tagged(CUSTOMER_TAG))).toEqual({ Error: "AccessDenied" });

    // Only the customer tag may be passed: aws:TagKeys is the request's.
    const customerTagOnly = {
      Effect: "Allow",
      Principal: { AWS: caller.arn },
      Action: "sts:TagSession",
      Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": [CUSTOMER_TAG] } },
    };
    const tagging = await brokerRole(["sts:AssumeRole", "sts:SetSourceIdentity", customerTagOnly]);
    expect(await assume(tagging.arn, tagged(CUSTOMER_TAG))).toHaveProperty("Credentials");
    expectAccessDenied((d) => d.action === "sts:TagSession" && d.resource === tagging.arn);
    expect(await assume(tagging.arn, tagged("team"))).toEqual({ Error: "AccessDenied" });
  });

  it("weighs a session's tags as aws:PrincipalTag on every call it signs", async () => {
    const role = await brokerRole();
    const untaggedDenied = { Effect: "Deny", Action: "ecr:*", Resource: "*", Condition: { Null: { [`aws:PrincipalTag/${CUSTOMER_TAG}`]: "true" } } };
    expect(await call("iam", "put_role_policy", { RoleName: role.name, PolicyName: "tagged-only", PolicyDocument: JSON.stringify(policy(untaggedDenied)) })).toEqual({});
    const customer = unique("customer");
    const tagged = await assumed(role.arn, { Tags: [{ Key: CUSTOMER_TAG, Value: customer }] });
    expect(await pullAs(ctx.awsEndpoint, tagged.accessKeyId, listed)).toBe("ok");
    expect(await pullAs(ctx.awsEndpoint, (await assumed(role.arn)).accessKeyId, listed)).toBe("ecr:BatchCheckLayerAvailability denied with an explicit deny in an identity-based policy");
  });

  it("limits a session to what both its session policy and the role allow", async () => {
    const role = await brokerRole();
    const customer = unique("customer");
    const narrowed = await assumed(role.arn, { Policy: sessionPolicy([products.listed]), SourceIdentity: customer, Tags: [{ Key: CUSTOMER_TAG, Value: customer }] });
    expect(await pullAs(ctx.awsEndpoint, narrowed.accessKeyId, listed)).toBe("ok");
    expect(await pullAs(ctx.awsEndpoint, narrowed.accessKeyId, other)).toBe("ecr:BatchCheckLayerAvailability denied because no session policy allows it");
    // The role itself pulls from both.
    expect(await pullAs(ctx.awsEndpoint, (await assumed(role.arn)).accessKeyId, other)).toBe("ok");
  });

  it("limits a session by its managed session policies too, allowing what any of its session policies allows", async () => {
    const role = await brokerRole();
    const created = await call("iam", "create_policy", { PolicyName: unique("session"), Path: PATH, PolicyDocument: JSON.stringify(policy(productPull([products.other]))) });
    const PolicyArns = [{ arn: (created as { Policy: { Arn: string } }).Policy.Arn }];
    const managedOnly = await assumed(role.arn, { PolicyArns });
    expect(await pullAs(ctx.awsEndpoint, managedOnly.accessKeyId, other)).toBe("ok");
    expect(await pullAs(ctx.awsEndpoint, managedOnly.accessKeyId, listed)).toBe("ecr:BatchCheckLayerAvailability denied because no session policy allows it");
    const both = await assumed(role.arn, { PolicyArns, Policy: sessionPolicy([products.listed]) });
    expect(await pullAs(ctx.awsEndpoint, both.accessKeyId, listed)).toBe("ok");
    expect(await pullAs(ctx.awsEndpoint, both.accessKeyId, other)).toBe("ok");
  });

  it("stops a live session at once when the role denies its source identity, and the registry tokens it minted", async () => {
    const role = await brokerRole();
    const [revoked, kept] = [unique("customer"), unique("customer")];
    const sessionFor = (customer: string) => assumed(role.arn, { Policy: sessionPolicy([products.listed]), SourceIdentity: customer, Tags: [{ Key: CUSTOMER_TAG, Value: customer }] });
    const [live, another] = [await sessionFor(revoked), await sessionFor(kept)];
    const { token } = await registryToken(live);
    expect(await pullWithToken(token, listed)).toEqual({ allowed: true });

    const deny = { Effect: "Deny", Action: "ecr:*", Resource: "*", Condition: { StringEquals: { "aws:SourceIdentity": [revoked] } } };
    expect(await call("iam", "put_role_policy", { RoleName: role.name, PolicyName: "revoked-sessions", PolicyDocument: JSON.stringify(policy(deny)) })).toEqual({});

    expect(await pullAs(ctx.awsEndpoint, live.accessKeyId, listed)).toBe("ecr:BatchCheckLayerAvailability denied with an explicit deny in an identity-based policy");
    expect(await pullWithToken(token, listed)).toMatchObject({ allowed: false, reason: "with an explicit deny in an identity-based policy" });
    expectAccessDenied((d) => d.action === "ecr:GetAuthorizationToken" && d.principal === live.arn);
    expect(await getAuthorizationToken(live)).toEqual({ Error: "AccessDeniedException" });
    // Another customer's session of the same role goes on.
    expect(await pullAs(ctx.awsEndpoint, another.accessKeyId, listed)).toBe("ok");
  });

  it("refuses an inline session policy over 2,048 characters as sent, whitespace included, and more than 10 managed ones, with ValidationError", async () => {
    const role = await brokerRole();
    const compact = sessionPolicy([products.listed]);
    const padded = (length: number) => compact + " ".repeat(length - compact.length);
    expect(await assume(role.arn, { Policy: padded(2048) })).toHaveProperty("Credentials");
    const before = await readOracleReport(ctx.awsEndpoint);
    expect(await assume(role.arn, { Policy: padded(2049) })).toEqual({ Error: "ValidationError" });
    const policyArns = Array.from({ length: 11 }, (_, i) => ({ arn: `arn:aws:iam::${ctx.accountId}:policy${PATH}session-${i}` }));
    expect(await assume(role.arn, { PolicyArns: policyArns })).toEqual({ Error: "ValidationError" });
    expect(await refusedSince(before)).toEqual([
      `sts:AssumeRole ValidationError: 1 validation error detected: Value '${padded(2049)}' at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048`,
      expect.stringMatching(/^sts:AssumeRole ValidationError: 1 validation error detected: Value '\[.*\]' at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10$/),
    ]);
  });

  it("refuses a session longer than its role allows, and a chained one longer than an hour, with ValidationError", async () => {
    const role = await brokerRole();
    expect(await assume(role.arn, { DurationSeconds: 3600 })).toHaveProperty("Credentials");
    const before = await readOracleReport(ctx.awsEndpoint);
    expect(await assume(role.arn, { DurationSeconds: 7200 })).toEqual({ Error: "ValidationError" });
    expect(await call("iam", "update_role", { RoleName: role.name, MaxSessionDuration: 7200 })).toEqual({});
    expect(await assume(role.arn, { DurationSeconds: 7200 })).toHaveProperty("Credentials");

    // A session of one role assuming another is role chaining: an hour at most, whatever the role allows.
    const first = unique("chain");
    const firstArn = await admin.createRole(first, {
      path: PATH,
      trustPolicy: policy({ Effect: "Allow", Principal: { AWS: caller.arn }, Action: "sts:AssumeRole" }),
      inlinePolicies: { chain: policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: role.arn }) },
    });
    const chained = await assumed(firstArn);
    // The role's ARN is what AWS matches; the emulator checks the trust against the session's own ARN.
    const trust = policy(...FULL_TRUST.map((Action) => ({ Effect: "Allow", Principal: { AWS: [caller.arn, firstArn, chained.arn] }, Action })));
    expect(await call("iam", "update_assume_role_policy", { RoleName: role.name, PolicyDocument: JSON.stringify(trust) })).toEqual({});
    const chain = (DurationSeconds: number) => call("sts", "assume_role", { RoleArn: role.arn, RoleSessionName: "chained", DurationSeconds }, chained);
    expect(await chain(7200)).toEqual({ Error: "ValidationError" });
    expect(await chain(3600)).toHaveProperty("Credentials");
    expect(await refusedSince(before)).toEqual([
      "sts:AssumeRole ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
      "sts:AssumeRole ValidationError: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    ]);
  });

  it("makes a registry token expire with the session that minted it, and a user's after 12 hours", async () => {
    const session = await assumed((await brokerRole()).arn, { DurationSeconds: 900 });
    const fromSession = await registryToken(session);
    expect(Math.abs(fromSession.expiresAt.getTime() - session.expiration.getTime())).toBeLessThan(1000);

    const fromUser = await registryToken(caller.credentials);
    expect(Math.abs(fromUser.expiresAt.getTime() - (Date.now() + 12 * HOUR_MS))).toBeLessThan(60_000);
  });

  it("judges a pull with a registry token as the session that minted it, until the token expires", async () => {
    const session = await assumed((await brokerRole()).arn, { Policy: sessionPolicy([products.listed]), DurationSeconds: 900 });
    const { token, password } = await registryToken(session);
    const { token: usersToken } = await registryToken(caller.credentials);
    expect(await pullWithToken(token, listed)).toEqual({ allowed: true });
    expect(await pullWithToken(password, listed)).toEqual({ allowed: true });
    expect(await pullWithToken(token, other)).toMatchObject({ allowed: false, reason: "because no session policy allows it" });
    expect(await pullWithToken(Buffer.from("AWS:no-such-token").toString("base64"), listed)).toMatchObject({ allowed: false, reason: "the registry token is unknown" });

    const before = await readOracleReport(ctx.awsEndpoint);
    await setOracleClock(ctx.awsEndpoint, 901);
    try {
      expect(await pullWithToken(token, listed)).toMatchObject({ allowed: false, reason: "the registry token has expired" });
      // The user's token lasts 12 hours: it is judged still, and the user may not pull.
      expect(await pullWithToken(usersToken, listed)).toMatchObject({ allowed: false, reason: "because no identity-based policy allows it" });
      expect(await getAuthorizationToken(session)).toEqual({ Error: "ExpiredTokenException" });
      expect(await call("sts", "get_caller_identity", {}, session)).toEqual({ Error: "ExpiredToken" });
    } finally {
      await setOracleClock(ctx.awsEndpoint);
    }
    expect(await refusedSince(before)).toEqual([
      "ecr:GetAuthorizationToken ExpiredToken: The security token included in the request is expired",
      "sts:GetCallerIdentity ExpiredToken: The security token included in the request is expired",
    ]);
  });
});
