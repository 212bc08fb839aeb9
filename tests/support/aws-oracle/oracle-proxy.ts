import http from "node:http";
import type { AddressInfo } from "node:net";
import { PULL_ACTIONS } from "@/lib/aws/pull-policy";
import { forward, readBody } from "../http-forward";
import type { emulatorAccountView, Principal, SessionTerms } from "./account-view";
import { assumeRoleTooLong, AWS_LIMITS, createdPrincipal, expiredToken, invalidRequestOf, refusalOf, withQuotas, type AwsLimits, type Refusal } from "./aws-refusals";
import { members, readAwsRequest, readUnsignedStsRequest, requestTags, type AwsRequest } from "./aws-request";
import { ecrTargetAccount, judge, judgeS3Decrypt, simulate, type Verdict } from "./judge";
import { registryTokens } from "./registry-tokens";
import { simulatePrincipalPolicyAnswer } from "./simulate-principal-policy";
import { webIdentityAnswer, webIdentityIssuers, webIdentityRefusal, type Jwks } from "./web-identity";

export type Denial = { action: string; principal: string; resource: string; reason: string };
/** An S3 request signed for another region than its bucket's, sent back to be signed again. */
export type Redirect = { action: string | null; bucket: string; signedFor: string; bucketRegion: string };
/**
 * What the oracle did since it started: every judged call, each one AWS would have denied, and
 * each one it would have refused after authorizing it (a quota, a size, a principal that does
 * not exist or that IAM has not propagated yet).
 */
export type OracleReport = {
  judged: number;
  denied: Denial[];
  refused: { action: string; code: string; message: string }[];
  unjudged: string[];
  redirected: Redirect[];
};

// Unsigned control requests on the oracle's own endpoint.
const CONTROL = {
  report: "/__oracle/report",
  limits: "/__oracle/limits",
  accounts: "/__oracle/accounts",
  judge: "/__oracle/judge",
  bucketRegions: "/__oracle/bucket-regions",
  customerCredentials: "/__oracle/customer-credentials",
  clock: "/__oracle/clock",
  issuers: "/__oracle/issuers",
};

/** Credentials of a session in a customer's own AWS account, as its administrator would have. */
export type CustomerCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

/**
 * A request to judge without making it: what a customer's key would be allowed (see `askOracle`),
 * or what a registry token would (as answered by GetAuthorizationToken, or its password as
 * `docker login` takes it), judged as the principal that minted it.
 */
export type Question = Pick<AwsRequest, "service" | "action" | "region" | "params"> & ({ accessKeyId: string } | { registryToken: string });

type View = ReturnType<typeof emulatorAccountView>;

const str = (value: unknown) => (typeof value === "string" && value ? value : undefined);

// awsJson names the error by its type: ECR's AccessDenied is AccessDeniedException.
const ECR_ERROR_TYPES: Record<string, string> = { AccessDenied: "AccessDeniedException", ExpiredToken: "ExpiredTokenException" };

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** An AWS error as each protocol carries it: awsQuery XML (IAM, STS), awsJson (ECR), S3's REST XML. */
function awsError(request: AwsRequest, { code, message: text, status }: Refusal) {
  if (request.service === "ecr") {
    return { status: 400, type: "application/x-amz-json-1.1", body: JSON.stringify({ __type: ECR_ERROR_TYPES[code] ?? code, message: text }) };
  }
  // A message may quote what the request sent (a policy), markup included.
  const message = escapeXml(text);
  if (request.service === "s3") {
    return { status, type: "application/xml", body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>oracle</RequestId></Error>` };
  }
  return {
    status,
    type: "text/xml",
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>oracle</RequestId></ErrorResponse>`,
  };
}

/** What an AssumeRole request asked for and its answer granted, as the session keeps it. */
function sessionTerms(params: Record<string, unknown>, answer: string): SessionTerms {
  const expiration = /<Expiration>([^<]+)<\/Expiration>/.exec(answer)?.[1];
  const userId = /<AssumedRoleId>([^<]+)<\/AssumedRoleId>/.exec(answer)?.[1];
  const sourceIdentity = str(params.SourceIdentity);
  const inlinePolicy = str(params.Policy);
  return {
    tags: requestTags(params),
    expiresAt: expiration ? Date.parse(expiration) : Infinity,
    policyArns: members(params, "PolicyArns", "arn"),
    ...(inlinePolicy ? { inlinePolicy } : {}),
    ...(sourceIdentity ? { sourceIdentity } : {}),
    ...(userId ? { userId } : {}),
  };
}

/**
 * S3's answer to a path-style request that reaches a region other than its bucket's, as the
 * portal's region endpoint gives it: 301 PermanentRedirect naming the bucket's region in
 * x-amz-bucket-region (a HEAD gets the same status and header, without a body). The SDK's
 * followRegionRedirects reads only the status and that header, then signs again for the region.
 */
function permanentRedirect(res: http.ServerResponse, method: string | undefined, bucket: string, region: string) {
  const headers = { "x-amz-bucket-region": region, "content-type": "application/xml", "x-amz-request-id": "oracle" };
  if (method === "HEAD") {
    res.writeHead(301, headers);
    return res.end();
  }
  const message = "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.";
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PermanentRedirect</Code><Message>${message}</Message><Endpoint>${bucket}.s3.${region}.amazonaws.com</Endpoint><Bucket>${bucket}</Bucket><RequestId>oracle</RequestId></Error>`;
  res.writeHead(301, { ...headers, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function send(res: http.ServerResponse, answer: { status: number; type: string; body: string }) {
  res.writeHead(answer.status, { "content-type": answer.type, "content-length": Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

/**
 * An HTTP front door for the emulator that authorizes like AWS: each signed request is judged by
 * an IAM policy simulator against its principal's real policies, the resource ARN AWS uses and the
 * request's condition keys. A refused request never reaches the emulator and is answered with
 * AccessDenied; what AWS refuses after authorizing (sizes, quotas, principals that do not exist or
 * are too new) is answered as AWS answers it. `report` (also served unsigned, see CONTROL) lists both.
 */
/**
 * `enforce` answers like AWS; `report` only records what AWS would deny or refuse and lets the
 * call through, to count all of it in a run of code that does not handle it yet.
 */
export type OracleMode = "enforce" | "report";

/**
 * `views` are the vendor's accounts behind the emulator, each read as its own administrator: a
 * request's principal is looked up in whichever holds its key, and the request is judged against
 * the account it acts in, as AWS does across accounts.
 */
export function createOracle(
  views: View | View[],
  mode: OracleMode = "enforce",
  /** Signs in to a customer's own account (one the oracle holds no view of) on the emulator itself. */
  customerSession?: (accountId: string) => Promise<CustomerCredentials>,
) {
  const report: OracleReport = { judged: 0, denied: [], refused: [], unjudged: [], redirected: [] };
  let limits: AwsLimits = AWS_LIMITS;
  const byAccount: ReadonlyMap<string, View> = new Map([views].flat().map((v) => [v.accountId, v]));
  const viewIn = (accountId: string) => byAccount.get(accountId) ?? null;
  // The account holding each key found so far: a key never moves.
  const keyAccounts = new Map<string, string>();
  /** The principal signing with the key, from the account that holds it; null for a key none holds. */
  async function principalOf(accessKeyId: string): Promise<Principal | null> {
    const known = keyAccounts.get(accessKeyId);
    if (known) return viewIn(known)!.principalOf(accessKeyId);
    for (const view of byAccount.values()) {
      const principal = await view.principalOf(accessKeyId);
      if (principal) {
        keyAccounts.set(accessKeyId, view.accountId);
        return principal;
      }
    }
    return null;
  }
  /** The account a request acts in: ECR's may name another account's registry; IAM, STS and S3 act in the caller's. */
  const actsIn = (request: AwsRequest, principal: Principal) => (request.service === "ecr" ? ecrTargetAccount(request.params, principal.accountId) : principal.accountId);
  // Accounts that exist, for principals named in repository policies; tests add their customers'.
  const accounts = new Set(byAccount.keys());
  // When each user and role created through the oracle was, by ARN, for IAM's propagation delay.
  const createdAt = new Map<string, number>();
  // The emulator keeps every bucket in one region; a test places one elsewhere, by name.
  let bucketRegions = new Map<string, string>();
  // How far a test moved the clock by which sessions and registry tokens expire, to see them expire.
  let clockOffsetMs = 0;
  const now = () => Date.now() + clockOffsetMs;
  const tokens = registryTokens(now);
  // The keys of OIDC issuers whose web identity tokens STS would verify.
  const issuers = webIdentityIssuers();
  /** Whether the principal is a role session whose credentials have expired. */
  const expired = (principal: Principal) => (principal.session?.expiresAt ?? Infinity) <= now();

  /** Serves the unsigned control requests; false for anything else. */
  function control(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) {
    if (req.headers.authorization) return false;
    if (req.url === CONTROL.limits && req.method === "PUT") limits = { ...AWS_LIMITS, ...(JSON.parse(body.toString("utf8") || "{}") as Partial<AwsLimits>) };
    else if (req.url === CONTROL.accounts && req.method === "POST") for (const id of JSON.parse(body.toString("utf8")) as string[]) accounts.add(id);
    else if (req.url === CONTROL.bucketRegions && req.method === "PUT") bucketRegions = new Map(Object.entries(JSON.parse(body.toString("utf8") || "{}") as Record<string, string>));
    else if (req.url === CONTROL.clock && req.method === "PUT") clockOffsetMs = ((JSON.parse(body.toString("utf8") || "{}") as { offsetSeconds?: number }).offsetSeconds ?? 0) * 1000;
    else if (req.url === CONTROL.issuers && req.method === "PUT") {
      const { issuer, jwks } = JSON.parse(body.toString("utf8")) as { issuer: string; jwks: Jwks };
      issuers.register(issuer, jwks);
    }
    else if (req.url !== CONTROL.report) return false;
    send(res, { status: 200, type: "application/json", body: JSON.stringify(report) });
    return true;
  }

  /** Records a denial; when enforcing, answers it as AWS does and returns true. */
  function denied(res: http.ServerResponse, request: AwsRequest, principal: Principal, verdict: Extract<Verdict, { allowed: false }>) {
    report.denied.push({ action: verdict.action, principal: principal.arn, resource: verdict.resource, reason: verdict.reason });
    if (mode === "report") return false;
    const message = `User: ${principal.arn} is not authorized to perform: ${verdict.action} on resource: ${verdict.resource} ${verdict.reason}`;
    send(res, awsError(request, { code: "AccessDenied", message, status: 403 }));
    return true;
  }

  /** Records a refusal; when enforcing, answers it as AWS does and returns true. */
  function refused(res: http.ServerResponse, request: AwsRequest, refusal: Refusal) {
    report.refused.push({ action: request.action, code: refusal.code, message: refusal.message });
    if (mode === "report") return false;
    send(res, awsError(request, refusal));
    return true;
  }

  /** Where the emulator's answer differs from AWS's: the answer AWS gives, else null. */
  function asAwsAnswers({ action, accessKeyId }: AwsRequest, principal: Principal, body: string): string | null {
    if (action === "iam:GetAccountSummary") return withQuotas(body, limits);
    if (action === "ecr:GetAuthorizationToken" && accessKeyId) return tokens.mint(body, accessKeyId, principal.session?.expiresAt);
    if (action !== "ecr:GetRepositoryPolicy") return null;
    const answer = JSON.parse(body) as { policyText?: string };
    // Every view shares the deleted users of all accounts, so any one shows the policy as AWS does.
    const [view] = byAccount.values();
    return answer.policyText && view ? JSON.stringify({ ...answer, policyText: view.asAwsShows(answer.policyText) }) : null;
  }

  /**
   * Answers whether AWS would allow a request, without making it. The emulator's own access
   * control refuses customers' pulls that AWS allows (it reads resources and conditions its own
   * way), so a pull can only be judged, not made.
   */
  async function answer(body: Buffer, res: http.ServerResponse) {
    const question = JSON.parse(body.toString("utf8")) as Question;
    send(res, { status: 200, type: "application/json", body: JSON.stringify(await verdictOn(question)) });
  }

  /** The key a question is asked for: its own, or the one that minted its registry token; else why none is. */
  function askingKey(question: Question): { accessKeyId: string } | { reason: string } {
    if ("accessKeyId" in question) return { accessKeyId: question.accessKeyId };
    const minted = tokens.minted(question.registryToken);
    if (!minted) return { reason: "the registry token is unknown" };
    return minted.expiresAt <= now() ? { reason: "the registry token has expired" } : { accessKeyId: minted.accessKeyId };
  }

  async function verdictOn(question: Question): Promise<Verdict> {
    const refusedFor = (reason: string): Verdict => ({ allowed: false, action: question.action, resource: "", reason });
    const asking = askingKey(question);
    if ("reason" in asking) return refusedFor(asking.reason);
    const principal = await principalOf(asking.accessKeyId);
    if (!principal) return refusedFor("the key is unknown");
    if (expired(principal)) return refusedFor("the session's credentials have expired");
    return judge({ ...question, accessKeyId: asking.accessKeyId }, principal, byAccount);
  }

  /**
   * IAM's policy simulator, which the emulator lacks: the caller is judged on the principal it
   * names, as AWS authorizes it, and the oracle's own simulator answers.
   */
  async function answerSimulation(res: http.ServerResponse, request: AwsRequest, caller: Principal) {
    const subjectArn = String(request.params.PolicySourceArn ?? "");
    report.judged++;
    const verdict = await simulate(caller, { action: request.action, resource: subjectArn, context: {} });
    if (!verdict.allowed && denied(res, request, caller, verdict)) return;
    const subjectAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(subjectArn)?.[1];
    const subject = subjectAccount ? await viewIn(subjectAccount)?.principalByArn(subjectArn) : null;
    if (!subject) return send(res, awsError(request, { code: "NoSuchEntity", message: `The user or role with ARN ${subjectArn} cannot be found.`, status: 404 }));
    send(res, { status: 200, type: "text/xml", body: await simulatePrincipalPolicyAnswer(request.params, subject) });
  }

  async function handle(target: URL, agent: http.Agent, req: http.IncomingMessage, res: http.ServerResponse) {
    const body = await readBody(req);
    if (!req.headers.authorization && req.url === CONTROL.judge && req.method === "POST") return answer(body, res);
    if (!req.headers.authorization && req.url === CONTROL.customerCredentials && req.method === "POST" && customerSession) {
      const { accountId } = JSON.parse(body.toString("utf8")) as { accountId: string };
      accounts.add(accountId);
      return send(res, { status: 200, type: "application/json", body: JSON.stringify(await customerSession(accountId)) });
    }
    if (control(req, body, res)) return;
    const unsigned = readUnsignedStsRequest(req, body);
    if (unsigned) return assumeRoleWithWebIdentity(res, unsigned);
    const read = readAwsRequest(req, body);
    // S3 redirects a request to its bucket's region before it authenticates or authorizes it.
    const bucketRegion = read?.s3 && bucketRegions.get(read.s3.bucket);
    if (read?.s3 && bucketRegion && bucketRegion !== read.region) {
      report.redirected.push({ action: read.action, bucket: read.s3.bucket, signedFor: read.region, bucketRegion });
      return permanentRedirect(res, req.method, read.s3.bucket, bucketRegion);
    }
    // Unsigned requests and unknown keys are the emulator's to refuse, as AWS authenticates first.
    const principal = read?.accessKeyId ? await principalOf(read.accessKeyId) : null;
    let request: AwsRequest | null = null;
    if (read && principal) {
      if (!read.action) {
        report.unjudged.push(`${req.method} ${req.url} (${read.service})`);
      } else {
        request = { ...read, action: read.action };
        // AWS authenticates first, then checks the input's constraints, and only then authorizes.
        const early = expired(principal) ? expiredToken(request.service) : invalidRequestOf(request, limits);
        if (early && refused(res, request, early)) return;
        if (request.action === "iam:SimulatePrincipalPolicy") return answerSimulation(res, request, principal);
        let verdict: Verdict;
        try {
          verdict = await judge(request, principal, byAccount);
        } catch (error) {
          report.unjudged.push(`${request.action}: ${(error as Error).message}`);
          verdict = { allowed: true };
        }
        report.judged++;
        if (!verdict.allowed && denied(res, request, principal, verdict)) return;
        const target = actsIn(request, principal);
        if (target !== principal.accountId) {
          // moto 5.2 acts in the account of the signing key and ignores registryId, so a call AWS
          // makes in another account's registry would land in the caller's own: not emulated.
          report.unjudged.push(`${request.action} by ${principal.arn} in account ${target}: the emulator acts only in the caller's account`);
          return send(res, awsError(request, { code: "ServerException", message: "the emulator cannot act in another account's registry", status: 500 }));
        }
        const directory = viewIn(target);
        const refusal = directory && ((await refusalOf(request, limits, accounts, directory, createdAt, viewIn)) ?? (await assumeRoleTooLong(request, principal, viewIn)));
        if (refusal && refused(res, request, refusal)) return;
      }
    }
    return forwardAndLearn(target, agent, req, res, body, request, principal);
  }

  /**
   * The session an AssumeRole answer hands out, so that the session's own calls are judged as the
   * role's, within the terms it was assumed with.
   */
  async function learnSession(request: AwsRequest, answer: string) {
    const accessKeyId = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(answer)?.[1];
    const roleArn = str(request.params.RoleArn);
    const sessionName = str(request.params.RoleSessionName);
    // The session acts in the role's account and is weighed by the role's policies there.
    const roleAccount = roleArn && /^arn:[^:]+:iam::(\d{12}):role\//.exec(roleArn)?.[1];
    const view = roleAccount ? viewIn(roleAccount) : null;
    if (accessKeyId && roleArn && sessionName && view) {
      await view.learnSession(accessKeyId, roleArn, sessionName, sessionTerms(request.params, answer));
      keyAccounts.set(accessKeyId, view.accountId);
    }
  }

  /**
   * AssumeRoleWithWebIdentity, which comes unsigned: judged as STS does (see web-identity.ts). The
   * session is opened as the role's account's administrator (the emulator fails on the unsigned
   * request) and learnt, so that its calls are judged as the role's.
   */
  async function assumeRoleWithWebIdentity(res: http.ServerResponse, request: AwsRequest) {
    report.judged++;
    const refusal = invalidRequestOf(request, limits) ?? (await webIdentityRefusal(request, byAccount, issuers, now()));
    if (refusal && refused(res, request, refusal)) return;
    const { params } = request;
    const roleArn = String(params.RoleArn ?? "");
    const view = viewIn(/^arn:[^:]+:iam::(\d{12}):/.exec(roleArn)?.[1] ?? "");
    if (!view) {
      report.unjudged.push(`${request.action} into ${roleArn}: the oracle holds no view of the role's account to open the session in`);
      return send(res, awsError(request, { code: "ServerException", message: "the emulator cannot open a session in that account", status: 500 }));
    }
    const session = await view.openSession({
      RoleArn: roleArn,
      RoleSessionName: str(params.RoleSessionName),
      WebIdentityToken: str(params.WebIdentityToken),
      DurationSeconds: Number(params.DurationSeconds ?? 3600),
      Policy: str(params.Policy),
      PolicyArns: members(params, "PolicyArns", "arn").map((arn) => ({ arn })),
    });
    const answer = webIdentityAnswer(String(params.WebIdentityToken ?? ""), session);
    await learnSession(request, answer);
    send(res, { status: 200, type: "text/xml", body: answer });
  }

  async function forwardAndLearn(
    target: URL,
    agent: http.Agent,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    request: AwsRequest | null,
    principal: Principal | null,
  ) {
    const upstream = await forward(target, req, body, agent);
    if (request && principal && upstream.status < 300) {
      await viewIn(actsIn(request, principal))?.learn(request);
      const created = createdPrincipal(request.action, upstream.body.toString("utf8"));
      if (created) createdAt.set(created, Date.now());
      if (request.action === "sts:AssumeRole") await learnSession(request, upstream.body.toString("utf8"));
    }
    const kmsKey = upstream.headers["x-amz-server-side-encryption"] === "aws:kms" ? upstream.headers["x-amz-server-side-encryption-aws-kms-key-id"] : undefined;
    if (request?.action === "s3:GetObject" && principal && typeof kmsKey === "string") {
      report.judged++;
      const verdict = await judgeS3Decrypt(principal, kmsKey, request.region);
      if (!verdict.allowed && denied(res, request, principal, verdict)) return;
    }
    const shown = request && principal && upstream.status === 200 ? asAwsAnswers(request, principal, upstream.body.toString("utf8")) : null;
    if (shown !== null) {
      upstream.body = Buffer.from(shown);
      upstream.headers["content-length"] = upstream.body.length;
    }
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }

  return {
    report,
    /** A front door for one emulator endpoint; several share the oracle's judgement and report. */
    async listen(upstreamUrl: string) {
      const target = new URL(upstreamUrl);
      const agent = new http.Agent({ keepAlive: true });
      const server = http.createServer((req, res) => {
        handle(target, agent, req, res).catch((error: unknown) => {
          report.unjudged.push(`proxy failure: ${(error as Error).message}`);
          if (!res.headersSent) res.writeHead(502);
          res.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((resolve) => {
            agent.destroy();
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    },
  };
}

/** The oracle's report, read over HTTP from any process of the run. */
export async function readOracleReport(endpoint: string): Promise<OracleReport> {
  const response = await fetch(new URL(CONTROL.report, endpoint));
  return (await response.json()) as OracleReport;
}

/** Lowers AWS's quotas or sets IAM's propagation delay (with no argument, restores both) for the requests that follow. */
export async function setOracleLimits(endpoint: string, lowered: Partial<AwsLimits> = {}) {
  await fetch(new URL(CONTROL.limits, endpoint), { method: "PUT", body: JSON.stringify(lowered) });
}

/** Accounts that exist, so repository policies may name them (AWS refuses an account that does not). */
export async function addOracleAccounts(endpoint: string, accountIds: string[]) {
  await fetch(new URL(CONTROL.accounts, endpoint), { method: "POST", body: JSON.stringify(accountIds) });
}

/**
 * Places buckets in regions of their own (bucket name to region; with no argument, none): a
 * request signed for another region is redirected as S3 does, one signed for it goes through.
 */
export async function setOracleBucketRegions(endpoint: string, regions: Record<string, string> = {}) {
  await fetch(new URL(CONTROL.bucketRegions, endpoint), { method: "PUT", body: JSON.stringify(regions) });
}

/**
 * Credentials of the customer's own AWS account `accountId` (a role session there), which the
 * oracle leaves to the emulator: a customer's own calls are its own account's business.
 */
export async function customerAccountCredentials(endpoint: string, accountId: string): Promise<CustomerCredentials> {
  const response = await fetch(new URL(CONTROL.customerCredentials, endpoint), { method: "POST", body: JSON.stringify({ accountId }) });
  if (!response.ok) throw new Error(`the oracle gave no credentials of ${accountId}: ${response.status}`);
  return (await response.json()) as CustomerCredentials;
}

/**
 * Moves the clock by which the oracle expires role sessions and registry tokens `offsetSeconds`
 * ahead (with no argument, back to now), to see them expire without waiting.
 */
export async function setOracleClock(endpoint: string, offsetSeconds = 0) {
  await fetch(new URL(CONTROL.clock, endpoint), { method: "PUT", body: JSON.stringify({ offsetSeconds }) });
}

/**
 * Gives the oracle an OIDC issuer's keys, with which it verifies web identity tokens whose `iss`
 * is `issuer`, as AWS fetches them from the issuer (whose host the tests never need).
 */
export async function registerOracleIssuer(endpoint: string, issuer: string, jwks: Jwks) {
  await fetch(new URL(CONTROL.issuers, endpoint), { method: "PUT", body: JSON.stringify({ issuer, jwks }) });
}

/** What AWS would answer the request, judged by the oracle and not made. */
export async function askOracle(endpoint: string, question: Question): Promise<Verdict> {
  const response = await fetch(new URL(CONTROL.judge, endpoint), { method: "POST", body: JSON.stringify(question) });
  return (await response.json()) as Verdict;
}

/**
 * Whether `docker pull` with a registry token (the SDK's base64 token, or its password as `docker
 * login` takes it) would get through: every pull action (or only `actions`) on the repository,
 * judged as the principal that minted the token; the first refusal decides.
 */
export async function judgePullWithRegistryToken(
  endpoint: string,
  pull: { registryToken: string; region: string; registryId: string; repositoryName: string; actions?: string[] },
): Promise<Verdict> {
  const { registryToken, region, registryId, repositoryName, actions = PULL_ACTIONS } = pull;
  for (const action of actions) {
    const verdict = await askOracle(endpoint, { service: "ecr", action, region, params: { registryId, repositoryName }, registryToken });
    if (!verdict.allowed) return verdict;
  }
  return { allowed: true };
}
