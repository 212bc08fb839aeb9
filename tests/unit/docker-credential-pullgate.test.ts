import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const SCRIPT = path.resolve(import.meta.dirname, "../../scripts/customer/docker-credential-pullgate");
const TOKEN = "pgp_Xk3-abc_DEFghijklmnopqrstuvwxyz0123456789AB";
const REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const OTHER_REGISTRY = "210987654321.dkr.ecr.eu-west-1.amazonaws.com";
const PASSWORD = "QVdTOmV5SndZWGxzYjJGa0lqb2lJbjA9";
const NOT_FOUND = "credentials not found in native keychain";

const onPath = (tool: string) => spawnSync("/bin/sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
const REAL_CURL = onPath("curl");

type Seen = { method: string; url: string; authorization: string | undefined; contentType: string | undefined; body: unknown };
type Reply = { status: number; body: unknown; headers?: Record<string, string> };
type Result = { code: number | null; stdout: string; stderr: string };

const credential = (registry: string, expiresInMs: number) => ({
  registry,
  username: "AWS",
  password: PASSWORD,
  expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
});
const HOUR = 3_600_000;

let dir: string;
let cacheDir: string;
let curlLog: string;
let server: Server;
let portalUrl: string;
let seen: Seen[];
// What the stub portal answers to the request it is given; each test may replace it.
let reply: (request: Seen) => Reply;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "credential-helper-"));
  cacheDir = path.join(dir, "cache", "pullgate");
  curlLog = path.join(dir, "curl-argv.log");
  // A curl first on PATH that records its arguments and runs the real one: what the process
  // list would show of the helper's request.
  mkdirSync(path.join(dir, "bin"));
  writeFileSync(path.join(dir, "bin", "curl"), `#!/bin/sh\nprintf '%s\\n' "$*" >> "$CURL_ARGV_LOG"\nexec ${REAL_CURL} "$@"\n`, { mode: 0o755 });
  seen = [];
  reply = () => ({ status: 200, body: { credentials: [credential(REGISTRY, HOUR)] } });
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      const request = { method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, contentType: req.headers["content-type"], body: JSON.parse(text) as unknown };
      seen.push(request);
      const { status, body, headers } = reply(request);
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  portalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

// Runs the helper as Docker does: the command as argument, the input on stdin. Asynchronous,
// since the stub portal answers from this same process.
function helper(command: string, stdin = "", env: Record<string, string | null> = {}): Promise<Result> {
  const base: Record<string, string | null> = {
    HOME: dir,
    XDG_CACHE_HOME: path.join(dir, "cache"),
    PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
    CURL_ARGV_LOG: curlLog,
    PULLGATE_URL: portalUrl,
    PULLGATE_PULL_TOKEN: TOKEN,
  };
  // null leaves a variable out, as for a helper configured by its file alone.
  const entries = Object.entries({ ...base, ...env }).filter((entry): entry is [string, string] => entry[1] !== null);
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", [SCRIPT, command], { env: Object.fromEntries(entries) as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    // version and list never read their input: the pipe may close before it is written.
    child.stdin.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") reject(error);
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const answer = (registry: string) => `${JSON.stringify({ ServerURL: registry, Username: "AWS", Secret: PASSWORD })}\n`;
const cached = () => (existsSync(cacheDir) ? readdirSync(cacheDir) : []);

describe("the docker-credential-pullgate script", () => {
  it("is executable POSIX sh: sh -n, dash -n and checkbashisms where installed", () => {
    expect(readFileSync(SCRIPT, "utf8").startsWith("#!/bin/sh\n")).toBe(true);
    expect(statSync(SCRIPT).mode & 0o111).toBe(0o111);
    execFileSync("/bin/sh", ["-n", SCRIPT]);
    if (onPath("dash")) execFileSync("dash", ["-n", SCRIPT]);
    if (onPath("checkbashisms")) execFileSync("checkbashisms", ["--posix", SCRIPT]);
  });

  it("prints its version", async () => {
    expect(await helper("version")).toEqual({ code: 0, stdout: "docker-credential-pullgate 1\n", stderr: "" });
  });

  it("refuses a command it does not know", async () => {
    const result = await helper("login");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/usage: docker-credential-pullgate get\|store\|erase\|list\|version/);
  });
});

describe("get", () => {
  it("asks the portal for the registry Docker names and prints the credentials Docker reads", async () => {
    // Docker writes the server URL without a final newline; a scheme and path are dropped.
    const result = await helper("get", `https://${REGISTRY}/v2/`);
    expect(result).toEqual({ code: 0, stdout: answer(REGISTRY), stderr: "" });
    expect(seen).toEqual([
      { method: "POST", url: "/api/v1/registry/credentials", authorization: `Bearer ${TOKEN}`, contentType: "application/json", body: { registry: REGISTRY } },
    ]);
  });

  it("answers a second get from its private cache while the credentials are good", async () => {
    expect((await helper("get", REGISTRY)).stdout).toBe(answer(REGISTRY));
    expect((await helper("get", `${REGISTRY}\n`)).stdout).toBe(answer(REGISTRY));
    expect(seen).toHaveLength(1);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    const files = cached();
    // Named by the part of the token the portal shows (pgp_ and six characters), none of the rest.
    expect(files).toEqual([`${REGISTRY}@${TOKEN.slice(0, 10)}`]);
    expect(statSync(path.join(cacheDir, files[0]!)).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(cacheDir, files[0]!), "utf8")).not.toContain(TOKEN.slice(10));
  });

  it("asks again when the credentials expire within 5 minutes, and caches nothing", async () => {
    reply = () => ({ status: 200, body: { credentials: [credential(REGISTRY, 4 * 60_000)] } });
    expect((await helper("get", REGISTRY)).stdout).toBe(answer(REGISTRY));
    expect((await helper("get", REGISTRY)).stdout).toBe(answer(REGISTRY));
    expect(seen).toHaveLength(2);
    expect(cached()).toEqual([]);
  });

  it("never answers from another token's cache", async () => {
    const newToken = "pgp_NEWtokenpublic_secretpartsecretpartsecret";
    await helper("get", REGISTRY);
    expect((await helper("get", REGISTRY, { PULLGATE_PULL_TOKEN: newToken })).stdout).toBe(answer(REGISTRY));
    expect(seen.map((request) => request.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${newToken}`]);
  });

  it("says 'not found', as Docker expects, for a registry the portal has no credentials for", async () => {
    reply = () => ({ status: 200, body: { credentials: [] } });
    expect(await helper("get", "registry.example.com")).toEqual({ code: 1, stdout: `${NOT_FOUND}\n`, stderr: "" });
    expect(seen[0]?.body).toEqual({ registry: "registry.example.com" });
  });

  it("says 'not found' without asking for a server the portal cannot name, such as one with a port", async () => {
    expect(await helper("get", "localhost:5000")).toEqual({ code: 1, stdout: `${NOT_FOUND}\n`, stderr: "" });
    expect(seen).toEqual([]);
  });

  it.each([
    [401, "UNAUTHENTICATED", "The pull token is revoked"],
    [403, "FORBIDDEN", "No active entitlement for this registry"],
  ])("fails with the portal's message on a %i, not as 'not found', and caches nothing", async (status, code, message) => {
    reply = () => ({ status, body: { error: { code, message } } });
    const result = await helper("get", REGISTRY);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`pullgate: ${message} (HTTP ${status})\n`);
    expect(cached()).toEqual([]);
  });

  it("fails naming Retry-After when the portal rate-limits it", async () => {
    reply = () => ({ status: 429, body: { error: { code: "RATE_LIMITED", message: "Too many requests" } }, headers: { "Retry-After": "30" } });
    const result = await helper("get", REGISTRY);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Too many requests .*Retry-After: 30/);
  });

  it.each(["http://portal.example.com", "http://127.0.0.1.example.com:8080", "http://127.0.0.1:80@portal.example.com"])(
    "refuses to send the token over plain http to %s",
    async (url) => {
      const result = await helper("get", REGISTRY, { PULLGATE_URL: url });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/refusing plain http .*https:\/\//);
      expect(existsSync(curlLog)).toBe(false);
    },
  );

  it("never puts the token on curl's command line", async () => {
    await helper("get", REGISTRY);
    await helper("list");
    const argv = readFileSync(curlLog, "utf8");
    expect(argv.trim().split("\n")).toHaveLength(2);
    expect(argv).toContain("--config -");
    expect(argv).not.toContain(TOKEN.slice(4));
  });
});

describe("the config file", () => {
  const fileOnly = { PULLGATE_URL: null, PULLGATE_PULL_TOKEN: null };
  const writeConfig = (mode: number) => {
    const file = path.join(dir, ".config", "pullgate", "config");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `url=${portalUrl}/\ntoken=${TOKEN}\n`);
    // Explicitly, whatever the test runner's umask.
    chmodSync(file, mode);
  };

  it("is refused while group or others can read it", async () => {
    writeConfig(0o644);
    const result = await helper("get", REGISTRY, fileOnly);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/open to group or others .*chmod 600/);
    expect(result.stderr).not.toContain(TOKEN);
    expect(seen).toEqual([]);
  });

  it("gives the portal and the token when only its owner can read it", async () => {
    writeConfig(0o600);
    expect((await helper("get", REGISTRY, fileOnly)).stdout).toBe(answer(REGISTRY));
    expect(seen[0]).toMatchObject({ url: "/api/v1/registry/credentials", authorization: `Bearer ${TOKEN}` });
  });
});

describe("store, erase and list", () => {
  it("store accepts what docker login gives and keeps nothing", async () => {
    const stored = JSON.stringify({ ServerURL: REGISTRY, Username: "AWS", Secret: "typed-by-hand" });
    expect(await helper("store", stored)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(seen).toEqual([]);
    expect(cached()).toEqual([]);
  });

  it("erase drops the cached answer, so the next get asks the portal", async () => {
    await helper("get", REGISTRY);
    expect(await helper("erase", `https://${REGISTRY}`)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(cached()).toEqual([]);
    await helper("get", REGISTRY);
    expect(seen).toHaveLength(2);
  });

  it("list asks for every registry and prints each one's username", async () => {
    reply = () => ({ status: 200, body: { credentials: [credential(REGISTRY, HOUR), credential(OTHER_REGISTRY, HOUR)] } });
    const result = await helper("list");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ [REGISTRY]: "AWS", [OTHER_REGISTRY]: "AWS" });
    expect(seen[0]?.body).toEqual({});
  });

  it("list prints an empty object when the customer has no registry", async () => {
    reply = () => ({ status: 200, body: { credentials: [] } });
    expect(await helper("list")).toEqual({ code: 0, stdout: "{}\n", stderr: "" });
  });
});
