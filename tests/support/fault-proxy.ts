import http from "node:http";
import type { AddressInfo } from "node:net";
import { forward, readBody, type Upstream } from "./http-forward";

/**
 * AWS on a bad day. Rates are probabilities per request, drawn from a seeded generator so a run
 * can be repeated. `lateErrorRate` forwards the request (it takes effect) and then answers 500,
 * the nastiest case for idempotency. `mutationsPerSecond` is a token bucket over IAM and ECR
 * writes; beyond it requests are throttled as AWS does. `principalMinAgeSeconds` models IAM's
 * propagation delay: SetRepositoryPolicy naming a user the proxy saw created less than that long
 * ago is answered as ECR does ("Principal not found"); users it never saw created count as old.
 */
export type Weather = {
  latencyMs?: number;
  throttleRate?: number;
  errorRate?: number;
  lateErrorRate?: number;
  mutationsPerSecond?: number;
  principalMinAgeSeconds?: number;
  seed?: number;
};

export type ProxiedRequest = { operation: string; outcome: number | "cut" | "fault"; body?: string };

export type FaultProxy = {
  url: string;
  /** Requests passed on to the emulator (the cut one included). */
  readonly forwarded: number;
  /** True once the armed cut has happened. */
  readonly cut: boolean;
  readonly log: readonly ProxiedRequest[];
  /**
   * After `n` forwarded requests, forward the next one (so it takes effect in the emulator), then
   * drop the client's connection without an answer; every later request gets HTTP 500, as if the
   * network or the process died right after AWS acted, until `heal()`. `onCut` runs at that
   * moment (a test kills the client process there).
   */
  cutAfter(n: number, onCut?: () => void): void;
  /**
   * Answers the next `n` SetRepositoryPolicy calls as ECR does while IAM has not yet propagated a
   * new principal (400 InvalidParameterException "Principal not found"), without forwarding them.
   */
  rejectPrincipals(n: number): void;
  /** Random faults and delay on every request until `heal()`; see Weather. */
  setWeather(weather: Weather): void;
  /**
   * Forward everything again and clear the counters and log. Users keep the age the proxy saw
   * them created at: healing the network does not make IAM younger.
   */
  heal(): void;
  close(): Promise<void>;
};

const FAULT_BODY =
  "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code>" +
  "<Message>fault injected by the test proxy</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>";

const PRINCIPAL_NOT_FOUND = JSON.stringify({
  __type: "InvalidParameterException",
  message: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Principal not found'",
});

/** The error body each protocol uses: awsQuery (IAM, STS) answers XML, awsJson (ECR) JSON. */
function awsError(operation: string, code: string, message: string) {
  const json = operation.startsWith("ecr:");
  const body = json
    ? JSON.stringify({ __type: code, message })
    : `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`;
  return { body, contentType: json ? "application/x-amz-json-1.1" : "text/xml" };
}

/** Calls that change something: the ones AWS rate-limits as mutations. */
export const isMutation = (operation: string) => !/:(Get|List|Describe)/.test(operation);

/** Mulberry32: small, seedable, good enough to pick faults reproducibly. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** "iam:CreateUser", "ecr:SetRepositoryPolicy", ... from the SigV4 scope and the protocol's action field. */
function operationOf(req: http.IncomingMessage, body: Buffer) {
  const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ""))?.[1] ?? "?";
  const target = req.headers["x-amz-target"];
  const action =
    typeof target === "string" ? target.split(".").pop() : (new URLSearchParams(body.toString("utf8")).get("Action") ?? "?");
  return `${service}:${action}`;
}

/** The new user's ARN from a successful CreateUser answer (awsQuery XML). */
function createdUserArn(upstream: Upstream) {
  if (upstream.status >= 300) return undefined;
  return /<Arn>([^<]+)<\/Arn>/.exec(upstream.body.toString("utf8"))?.[1];
}

/** Every ARN in a `Principal.AWS` (string or list) of the policy a SetRepositoryPolicy body carries. */
function policyPrincipals(body: Buffer): string[] {
  try {
    const { policyText } = JSON.parse(body.toString("utf8")) as { policyText?: unknown };
    if (typeof policyText !== "string") return [];
    const { Statement } = JSON.parse(policyText) as { Statement?: unknown };
    return [Statement]
      .flat()
      .flatMap((s) => [(s as { Principal?: { AWS?: unknown } } | null)?.Principal?.AWS].flat())
      .filter((arn): arn is string => typeof arn === "string");
  } catch {
    // Not a policy at all: the emulator rejects it as ECR would.
    return [];
  }
}

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const agent = new http.Agent({ keepAlive: true });
  let forwarded = 0;
  let armedAt: number | null = null;
  let onCutHook: (() => void) | undefined;
  let cut = false;
  let log: ProxiedRequest[] = [];
  let principalRejections = 0;
  let weather: Weather | null = null;
  let random = Math.random;
  let tokens = 0;
  let refilledAt = Date.now();
  /** When each IAM user ARN was created, as seen passing through; never cleared. */
  const createdAt = new Map<string, number>();

  /** Takes one token from the mutation bucket; false when it is empty. */
  const takeToken = (rate: number) => {
    const now = Date.now();
    tokens = Math.min(rate, tokens + ((now - refilledAt) / 1000) * rate);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  const answer = (res: http.ServerResponse, status: number, operation: string, code: string, message: string) => {
    const { body, contentType } = awsError(operation, code, message);
    res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
    res.end(body);
  };
  /** ECR's answer to a policy naming a principal IAM has not propagated yet. */
  const principalNotFound = (res: http.ServerResponse, operation: string) => {
    log.push({ operation, outcome: 400 });
    res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "content-length": Buffer.byteLength(PRINCIPAL_NOT_FOUND) });
    res.end(PRINCIPAL_NOT_FOUND);
  };
  /** Forwards, noting when users are created: a user's age runs from when AWS answered. */
  const pass = async (req: http.IncomingMessage, body: Buffer, operation: string) => {
    const upstream = await forward(target, req, body, agent);
    const arn = operation === "iam:CreateUser" ? createdUserArn(upstream) : undefined;
    if (arn !== undefined) createdAt.set(arn, Date.now());
    return upstream;
  };
  /** Principals the proxy never saw created are as old as they need to be. */
  const namesYoungPrincipal = (body: Buffer, minAgeSeconds: number) =>
    policyPrincipals(body).some((arn) => Date.now() - (createdAt.get(arn) ?? -Infinity) < minAgeSeconds * 1000);

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const operation = operationOf(req, body);
      if (cut) {
        log.push({ operation, outcome: "fault" });
        res.writeHead(500, { "content-type": "text/xml", "content-length": Buffer.byteLength(FAULT_BODY) });
        res.end(FAULT_BODY);
        return;
      }
      if (operation === "ecr:SetRepositoryPolicy" && principalRejections > 0) {
        principalRejections--;
        return principalNotFound(res, operation);
      }
      // Held for the whole request: heal() may clear the weather while this one waits out its latency.
      const sky = weather;
      if (sky) {
        if (sky.latencyMs) await new Promise((r) => setTimeout(r, sky.latencyMs));
        const capped = sky.mutationsPerSecond && isMutation(operation) && !takeToken(sky.mutationsPerSecond);
        if (capped || random() < (sky.throttleRate ?? 0)) {
          log.push({ operation, outcome: 400 });
          return answer(res, 400, operation, operation.startsWith("ecr:") ? "ThrottlingException" : "Throttling", "Rate exceeded");
        }
        if (random() < (sky.errorRate ?? 0)) {
          log.push({ operation, outcome: 500 });
          return answer(res, 500, operation, operation.startsWith("ecr:") ? "ServerException" : "ServiceFailure", "injected failure");
        }
        // Validation comes after the front door's throttling and failures, and before anything acts.
        const young =
          sky.principalMinAgeSeconds !== undefined &&
          operation === "ecr:SetRepositoryPolicy" &&
          namesYoungPrincipal(body, sky.principalMinAgeSeconds);
        if (young) return principalNotFound(res, operation);
        if (random() < (sky.lateErrorRate ?? 0)) {
          await pass(req, body, operation);
          log.push({ operation, outcome: 500, body: body.toString("utf8") });
          return answer(res, 500, operation, operation.startsWith("ecr:") ? "ServerException" : "ServiceFailure", "failed after acting");
        }
      }
      // Decided before forwarding, so requests racing with this one already get the fault.
      const cutThis = armedAt !== null && forwarded === armedAt;
      if (cutThis) cut = true;
      forwarded++;
      const upstream = await pass(req, body, operation);
      if (cutThis) {
        onCutHook?.();
        log.push({ operation, outcome: "cut" });
        req.socket.destroy();
        return;
      }
      log.push({ operation, outcome: upstream.status, body: body.toString("utf8") });
      res.writeHead(upstream.status, upstream.headers);
      res.end(upstream.body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get forwarded() {
      return forwarded;
    },
    get cut() {
      return cut;
    },
    get log() {
      return log;
    },
    cutAfter(n: number, onCut?: () => void) {
      onCutHook = onCut;
      forwarded = 0;
      log = [];
      cut = false;
      armedAt = n;
    },
    setWeather(next: Weather) {
      weather = next;
      random = next.seed === undefined ? Math.random : seeded(next.seed);
      tokens = next.mutationsPerSecond ?? 0;
      refilledAt = Date.now();
    },
    rejectPrincipals(n: number) {
      log = [];
      principalRejections = n;
    },
    heal() {
      weather = null;
      principalRejections = 0;
      forwarded = 0;
      log = [];
      cut = false;
      armedAt = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
