// The fault proxy in front of a fake AWS: enough of IAM and ECR to see what the proxy forwards,
// with requests shaped as the SDK sends them (SigV4 scope names the service).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy";

const U1 = "arn:aws:iam::123456789012:user/pullgate/u1";
const FOREIGN = "arn:aws:iam::210987654321:user/someone-else";

let upstream: http.Server;
let upstreamHits = 0;
let proxy: FaultProxy;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    upstreamHits++;
    req.resume();
    req.on("end", () => {
      if (req.headers["x-amz-target"]) {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        res.end("{}");
        return;
      }
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(`<CreateUserResponse><CreateUserResult><User><UserName>u1</UserName><Arn>${U1}</Arn></User></CreateUserResult></CreateUserResponse>`);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  proxy = await startFaultProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
});

afterEach(() => proxy.heal());

afterAll(async () => {
  await proxy?.close();
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
});

const authorization = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

const iam = (action: string, params = "") =>
  fetch(proxy.url, {
    method: "POST",
    headers: { authorization: authorization("iam"), "content-type": "application/x-www-form-urlencoded" },
    body: `Action=${action}&Version=2010-05-08${params}`,
  });

const createUser = () => iam("CreateUser", "&UserName=u1&Path=%2Fpullgate%2F");

const setPolicy = (aws: string[]) =>
  fetch(proxy.url, {
    method: "POST",
    headers: {
      authorization: authorization("ecr"),
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AmazonEC2ContainerRegistry_V20150921.SetRepositoryPolicy",
    },
    body: JSON.stringify({
      repositoryName: "r",
      policyText: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "pull", Effect: "Allow", Principal: { AWS: aws }, Action: ["ecr:BatchGetImage"] }],
      }),
    }),
  });

/** Status of the call and whether the fake AWS saw it. */
async function outcome(call: () => Promise<Response>) {
  const before = upstreamHits;
  const res = await call();
  const body = await res.text();
  return { status: res.status, body, forwarded: upstreamHits > before };
}

describe("the weather", () => {
  it("throttles writes beyond mutationsPerSecond, and never reads", async () => {
    proxy.setWeather({ mutationsPerSecond: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await outcome(createUser)).status);
    expect(statuses).toEqual([200, 200, 400]);
    const read = await outcome(() => iam("ListUsers"));
    expect(read).toMatchObject({ status: 200, forwarded: true });
    const throttled = await outcome(() => setPolicy([FOREIGN]));
    expect(throttled).toMatchObject({ status: 400, forwarded: false });
    expect(JSON.parse(throttled.body)).toMatchObject({ __type: "ThrottlingException" });
  });

  it("answers throttleRate with each protocol's throttling error, and errorRate with a 500", async () => {
    proxy.setWeather({ throttleRate: 1 });
    const iamThrottled = await outcome(() => iam("ListUsers"));
    expect(iamThrottled).toMatchObject({ status: 400, forwarded: false });
    expect(iamThrottled.body).toContain("<Code>Throttling</Code>");

    proxy.setWeather({ errorRate: 1 });
    const failed = await outcome(() => setPolicy([FOREIGN]));
    expect(failed).toMatchObject({ status: 500, forwarded: false });
    expect(JSON.parse(failed.body)).toMatchObject({ __type: "ServerException" });
  });

  it("delays by latencyMs, and a heal() meanwhile does not break the request in flight", async () => {
    proxy.setWeather({ latencyMs: 150 });
    const started = Date.now();
    const pending = outcome(() => iam("ListUsers"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    proxy.heal();
    expect(await pending).toMatchObject({ status: 200, forwarded: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
