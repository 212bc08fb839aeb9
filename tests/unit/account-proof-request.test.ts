// What Pullgate checks of a pasted proof of account control before STS sees it: a POST of exactly
// GetCallerIdentity to Pullgate's own STS host, SigV4-signed for STS in its region over Host and
// the nonce header, dated now. The signature itself is for STS to check (tests/integration/account-proof.test.ts).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { MAX_PROOF_CHARS, parseAccountProof, PROOF_BODY } from "@/lib/customers/account-proof-request";
import { proveAccountCommand } from "@/lib/customers/account-proof-script";

const target = { host: "sts.us-east-1.amazonaws.com", region: "us-east-1" };
const now = new Date("2026-12-05T10:00:00Z");
const nonce = "nVSqWQg4vzN3YUGe-9uDIcaRZmcOhE0hnevfPZ-MEhU";
const signature = "a".repeat(64);

function proof(change: { method?: string; url?: string; body?: string; headers?: Record<string, string | undefined>; signed?: string; scope?: string } = {}) {
  const signed = change.signed ?? "content-type;host;x-amz-date;x-amz-security-token;x-pullgate-proof-nonce";
  const scope = change.scope ?? "20261205/us-east-1/sts";
  const headers: Record<string, string | undefined> = {
    Host: target.host,
    "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
    "X-Amz-Date": "20261205T095800Z",
    "X-Amz-Security-Token": "token",
    "X-Pullgate-Proof-Nonce": nonce,
    Authorization: `AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEEXAMPLE12/${scope}/aws4_request, SignedHeaders=${signed}, Signature=${signature}`,
    ...change.headers,
  };
  return JSON.stringify({ method: change.method ?? "POST", url: change.url ?? `https://${target.host}/`, headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)), body: change.body ?? PROOF_BODY });
}

const refusal = (text: string) => {
  try {
    parseAccountProof(text, target, now);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error("accepted");
};

describe("a pasted proof of account control", () => {
  it("is read into the nonce and only the headers STS needs, addressed to Pullgate's own host", () => {
    const parsed = parseAccountProof(proof({ headers: { "X-Forwarded-For": "1.2.3.4", Cookie: "x" } }), target, now);
    expect(parsed.nonce).toBe(nonce);
    expect(parsed.accessKeyId).toBe("ASIAEXAMPLEEXAMPLE12");
    expect(parsed.body).toBe(PROOF_BODY);
    expect(Object.keys(parsed.headers).sort()).toEqual(["authorization", "content-type", "host", "x-amz-date", "x-amz-security-token", "x-pullgate-proof-nonce"]);
    expect(parsed.headers.host).toBe(target.host);
  });

  it.each([
    ["not JSON", "{", /paste the JSON/],
    ["too long", proof({ headers: { "X-Padding": "x".repeat(MAX_PROOF_CHARS) } }), /too long/],
    ["another method", proof({ method: "GET" }), /POST/],
    ["another host in the url", proof({ url: "https://sts.amazonaws.com/" }), /signed for another host: sign it for sts\.us-east-1\.amazonaws\.com/],
    ["another Host header", proof({ headers: { Host: "evil.example" } }), /another host/],
    ["another path", proof({ url: `https://${target.host}/x?Action=AssumeRole` }), /root path/],
    ["another action", proof({ body: "Action=AssumeRole&RoleArn=x&Version=2011-06-15" }), /exactly GetCallerIdentity/],
    ["extra parameters", proof({ body: `${PROOF_BODY}&Extra=1` }), /exactly GetCallerIdentity/],
    ["no signature", proof({ headers: { Authorization: undefined } }), /Signature Version 4/],
    ["a presigned-style or other scheme", proof({ headers: { Authorization: "AWS AKIA:sig" } }), /Signature Version 4/],
    ["another service", proof({ scope: "20261205/us-east-1/iam" }), /signed for STS/],
    ["another region", proof({ scope: "20261205/eu-west-1/sts" }), /region us-east-1/],
    ["the nonce header unsigned", proof({ signed: "content-type;host;x-amz-date;x-amz-security-token" }), /must sign the x-pullgate-proof-nonce header/],
    ["host unsigned", proof({ signed: "content-type;x-amz-date;x-pullgate-proof-nonce" }), /must sign the host header/],
    ["a signed header it lacks", proof({ signed: "content-type;host;x-amz-date;x-pullgate-proof-nonce;x-other" }), /signs a header it does not carry/],
    ["an old signature", proof({ headers: { "X-Amz-Date": "20261205T093000Z" } }), /last 15 minutes/],
    ["a date from the future", proof({ headers: { "X-Amz-Date": "20261205T103000Z" } }), /last 15 minutes/],
    ["a date that is not the signature's day", proof({ scope: "20261204/us-east-1/sts" }), /X-Amz-Date/],
    ["no nonce", proof({ headers: { "X-Pullgate-Proof-Nonce": undefined } }), /does not carry|must sign/],
    ["a nonce Pullgate never makes", proof({ headers: { "X-Pullgate-Proof-Nonce": "short" } }), /not one Pullgate issued/],
    ["a header given twice", proof({ headers: { host: target.host } }), /given twice/],
  ])("is refused with %s", (_, text, message) => {
    const error = refusal(text);
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toMatch(message);
  });
});

describe("the proof script", () => {
  it("shipped in scripts/customer is the one the accounts page's command runs", () => {
    const shipped = readFileSync(path.resolve(import.meta.dirname, "../../scripts/customer/pullgate-prove-account.py"), "utf8");
    expect(proveAccountCommand({ nonce, url: "u", region: "r" })).toContain(`<<'EOF'\n${shipped}EOF\n`);
  });

  it("is run by one command that signs a nonce even when it starts with a dash", async () => {
    // base64url nonces start with "-" one time in 64: it must not read as an option.
    const dir = mkdtempSync(path.join(tmpdir(), "proof-"));
    const dashed = `-${nonce.slice(1)}`;
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, AWS_ACCESS_KEY_ID: "AKIAEXAMPLEEXAMPLE12", AWS_SECRET_ACCESS_KEY: "secret", AWS_EC2_METADATA_DISABLED: "true" };
    for (const name of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"]) delete env[name];
    await promisify(execFile)("bash", ["-c", proveAccountCommand({ nonce: dashed, url: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1" })], { cwd: dir, env });
    const signed = JSON.parse(readFileSync(path.join(dir, "proof.json"), "utf8"));
    expect(signed.headers["X-Pullgate-Proof-Nonce"]).toBe(dashed);
  });

  it("is run by one command, with its arguments quoted for the shell", () => {
    const command = proveAccountCommand({ nonce, url: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1" });
    expect(command.split("\n")[0]).toBe(`python3 - --nonce='${nonce}' --url='https://sts.us-east-1.amazonaws.com/' --region='us-east-1' > proof.json <<'EOF'`);
    expect(command.endsWith("\nEOF\n")).toBe(true);
    expect(proveAccountCommand({ nonce: "a'b", url: "u", region: "r" })).toContain(`--nonce='a'\\''b'`);
  });
});
