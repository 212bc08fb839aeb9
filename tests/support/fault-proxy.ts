import http from "node:http";
import type { AddressInfo } from "node:net";
import { forward, readBody } from "./http-forward";

/**
 * AWS on a bad day. Rates are probabilities per request, drawn from a seeded generator so a run
 * can be repeated. `lateErrorRate` forwards the request (it takes effect) and then answers 500,
 * the nastiest case for idempotency. `mutationsPerSecond` is a token bucket over IAM and ECR
 * writes; beyond it requests are throttled as AWS does.
 */
export type Weather = {
  latencyMs?: number;
  throttleRate?: number;
  errorRate?: number;
  lateErrorRate?: number;
  mutationsPerSecond?: number;
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
  /** Random faults and delay on every request until `heal()`; see Weather. */
  setWeather(weather: Weather): void;
  /** Forward everything again and clear the counters and log. */
  heal(): void;
  close(): Promise<void>;
};

const FAULT_BODY =
  "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code>" +
  "<Message>fault injected by the test proxy</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>";

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

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const agent = new http.Agent({ keepAlive: true });
  let forwarded = 0;
  let armedAt: number | null = null;
  let onCutHook: (() => void) | undefined;
  let cut = false;
  let log: ProxiedRequest[] = [];
  let weather: Weather | null = null;
  let random = Math.random;
  let tokens = 0;
  let refilledAt = Date.now();

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
        if (random() < (sky.lateErrorRate ?? 0)) {
          await forward(target, req, body, agent);
          log.push({ operation, outcome: 500, body: body.toString("utf8") });
          return answer(res, 500, operation, operation.startsWith("ecr:") ? "ServerException" : "ServiceFailure", "failed after acting");
        }
      }
      // Decided before forwarding, so requests racing with this one already get the fault.
      const cutThis = armedAt !== null && forwarded === armedAt;
      if (cutThis) cut = true;
      forwarded++;
      const upstream = await forward(target, req, body, agent);
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
    heal() {
      weather = null;
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
