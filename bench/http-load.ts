// Signed-in HTTP load against the production build, shared by the page benchmarks. Latency is
// measured at the client on the same machine: server time plus queueing on the machine's cores.
import { percentile, round } from "./stats";

/** Signs in through the password provider as a browser would, returning the session cookie. */
export async function signIn(base: string, email: string, password: string) {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const response = await fetch(`${base}/api/auth/callback/password`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = response.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c?.includes("session-token"));
  if (!session) throw new Error(`sign-in failed: HTTP ${response.status}`);
  return session;
}

type Load = {
  /** One client per cookie, all at once: the same cookie repeated is one user in many tabs. */
  cookies: string[];
  /** Requested in turn until `total` responses. */
  paths: string[];
  total: number;
  /** Text every page must hold, besides being a whole 200 page. */
  mustContain?: string[];
};

const figures = (latencies: number[]) => ({
  p50Ms: round(percentile(latencies, 50), 1),
  p95Ms: round(percentile(latencies, 95), 1),
  p99Ms: round(percentile(latencies, 99), 1),
});

/**
 * The clients request the paths until `total` responses, each waiting for its previous one.
 * Latency runs to the last byte (streamed parts included); the first byte is when the
 * response's headers arrived, with the page's shell.
 */
export function load(base: string, { cookies, paths, total, mustContain = [] }: Load) {
  return loadRequests({
    clients: cookies.length,
    total,
    send: (i, client) => fetch(`${base}${paths[i % paths.length]!}`, { headers: { cookie: cookies[client]! }, redirect: "manual" }),
    check: (response, body, i) => {
      const path = paths[i % paths.length]!;
      if (response.status !== 200 || !body.includes("</html>")) throw new Error(`${path}: HTTP ${response.status}`);
      const missing = mustContain.find((text) => !body.includes(text));
      if (missing) throw new Error(`${path}: the page lacks "${missing}"`);
    },
  });
}

type Requests = {
  clients: number;
  total: number;
  /** The i-th request overall, sent by client number `client`. */
  send: (i: number, client: number) => Promise<Response>;
  /** Throws when the answer is not the expected one. */
  check: (response: Response, body: string, i: number) => void;
};

/** `clients` clients send requests in turn until `total` responses, each waiting for its previous one. */
export async function loadRequests({ clients, total, send, check }: Requests) {
  const latencies: number[] = [];
  const firstBytes: number[] = [];
  let next = 0;
  const client = async (n: number) => {
    for (let i = next++; i < total; i = next++) {
      const started = performance.now();
      const response = await send(i, n);
      firstBytes.push(performance.now() - started);
      const body = await response.text();
      latencies.push(performance.now() - started);
      check(response, body, i);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, (_, n) => client(n)));
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    ...figures(latencies),
    perSecond: round(latencies.length / seconds, 1),
    firstByte: figures(firstBytes),
  };
}
