import "server-only";
import http from "node:http";
import https from "node:https";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { AwsError } from "./aws-error";

/**
 * The STS endpoint proofs of account control go to, and what they are signed for: AWS's own in
 * the portal's region (the emulator in tests, through PULLGATE_AWS_ENDPOINT). A customer's proof
 * is only ever sent here, whatever host it names.
 */
export function proofStsEndpoint() {
  const { PULLGATE_AWS_ENDPOINT, AWS_REGION } = env();
  const suffix = AWS_REGION.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  const url = new URL(PULLGATE_AWS_ENDPOINT ?? `https://sts.${AWS_REGION}.${suffix}`);
  return { url: `${url.origin}/`, host: url.host, region: AWS_REGION };
}

/** STS's answer to a signed GetCallerIdentity: the signer's account and ARN, or the error STS gave. */
export type CallerIdentityAnswer = { ok: true; account: string; arn: string } | { ok: false; code: string; status: number };

const MAX_ANSWER_BYTES = 64 * 1024;
const TIMEOUT_MS = 10_000;

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]{1,2048})</${name}>`).exec(xml)?.[1];

/**
 * Sends a GetCallerIdentity request someone else signed to the configured STS endpoint, exactly
 * as signed (the caller has checked what it is), and reads who signed it. Network failures and
 * unreadable answers are AwsErrors; an STS refusal (a bad signature, an unknown key) is an answer.
 */
export async function sendSignedCallerIdentity(request: { headers: Record<string, string>; body: string }): Promise<CallerIdentityAnswer> {
  const target = new URL(proofStsEndpoint().url);
  const started = performance.now();
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const body = Buffer.from(request.body, "utf8");
    const req = (target.protocol === "https:" ? https : http).request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port || undefined,
        method: "POST",
        path: "/",
        headers: { ...request.headers, "content-length": String(body.length) },
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) return req.destroy(new Error("answer too large"));
          chunks.push(chunk);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body);
  }).catch((error: Error) => {
    throw new AwsError("NetworkingError", error.message, "sts:GetCallerIdentity (proof)");
  });
  log().info({ aws: "sts:GetCallerIdentity (proof)", status, ms: Math.round(performance.now() - started) }, "aws call");
  if (status === 200) {
    const account = tag(text, "Account");
    const arn = tag(text, "Arn");
    if (!account || !arn) throw new AwsError("UnreadableAnswer", "GetCallerIdentity answered without Account and Arn", "sts:GetCallerIdentity (proof)", status);
    return { ok: true, account, arn };
  }
  return { ok: false, code: tag(text, "Code") ?? "UnknownError", status };
}
