import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { inject } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { registerCustomerAccount } from "@/lib/customers/customer-accounts";
import { proveCustomerAccount } from "@/lib/customers/prove-customer-account";
import { db } from "@/lib/db";
import { addOracleAccounts, customerAccountCredentials, type CustomerCredentials } from "./aws-oracle/oracle-proxy";

let next = 100_000_000_000;

/**
 * A fresh 12-digit id of a customer's AWS account that exists, as far as the tests' AWS is
 * concerned (ECR refuses a repository policy naming an account that does not). Fresh per call, so
 * tests never share a principal.
 */
export async function existingAccountId(): Promise<string> {
  const id = String(next++ + Math.floor(Math.random() * 1_000_000) * 1000);
  await addOracleAccounts(inject("integration").awsEndpoint, [id]);
  return id;
}

/** A customer's own AWS account that exists, with credentials of a session in it (as its administrator would have). */
export async function customerAwsAccount(): Promise<{ accountId: string; credentials: CustomerCredentials }> {
  const accountId = await existingAccountId();
  return { accountId, credentials: await customerAccountCredentials(inject("integration").awsEndpoint, accountId) };
}

/** What Pullgate tells the customer to sign for: its STS endpoint (the oracle, in tests) and region. */
export function proofTarget() {
  const { awsEndpoint, region } = inject("integration");
  return { url: `${new URL(awsEndpoint).origin}/`, host: new URL(awsEndpoint).host, region };
}

/** The proof the shipped script prints for `nonce`, run as a customer would run it, with `credentials` in its environment. */
export async function scriptProof(credentials: CustomerCredentials, nonce: string, target = proofTarget()): Promise<string> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_SESSION_TOKEN: credentials.sessionToken, AWS_EC2_METADATA_DISABLED: "true" } as unknown as NodeJS.ProcessEnv;
  const { stdout } = await promisify(execFile)("python3", [PROVE_SCRIPT, `--nonce=${nonce}`, `--url=${target.url}`, `--region=${target.region}`], { env, encoding: "utf8" });
  return stdout;
}

const PROVE_SCRIPT = path.resolve(import.meta.dirname, "../../scripts/customer/pullgate-prove-account.py");

// A proof signed some other way than the script's, to see Pullgate refuse what it must.
const SIGN = `
import json, sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
a = json.load(sys.stdin)
c = a["credentials"]
headers = {"Host": a["host"], "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
if a["signNonce"]:
    headers["X-Pullgate-Proof-Nonce"] = a["nonce"]
request = AWSRequest(method="POST", url=a["url"], data=a["body"], headers=headers)
SigV4Auth(Credentials(c["accessKeyId"], c["secretAccessKey"], c.get("sessionToken")), "sts", a["region"]).add_auth(request)
out = dict(request.headers.items())
if not a["signNonce"]:
    out["X-Pullgate-Proof-Nonce"] = a["nonce"]
print(json.dumps({"method": "POST", "url": a["url"], "headers": out, "body": a["body"]}))
`;

/** A proof signed with `credentials`, changed as asked: another body, another host, the nonce left unsigned. */
export async function customProof(
  credentials: CustomerCredentials,
  nonce: string,
  change: { body?: string; url?: string; host?: string; signNonce?: boolean; region?: string } = {},
): Promise<string> {
  const target = proofTarget();
  const url = change.url ?? target.url;
  const input = { credentials, nonce, url, host: change.host ?? new URL(url).host, region: change.region ?? target.region, body: change.body ?? "Action=GetCallerIdentity&Version=2011-06-15", signNonce: change.signNonce ?? true };
  const run = promisify(execFile)("python3", ["-c", SIGN], { encoding: "utf8" });
  run.child.stdin!.end(JSON.stringify(input));
  return (await run).stdout;
}

/**
 * Registers the customer's own account and proves it with a session of that account, as its owner
 * would on the accounts page: the account is granted what the customer may pull.
 */
export async function registerProvenAccount(customerId: string, account?: { accountId: string; credentials: CustomerCredentials }) {
  const own = account ?? (await customerAwsAccount());
  const actor = systemActor("test");
  await registerCustomerAccount({ actor, customerId, accountId: own.accountId });
  const challenge = await db.accountProofChallenge.findFirstOrThrow({ where: { customerId, accountId: own.accountId, usedAt: null }, orderBy: { createdAt: "desc" } });
  const message = await proveCustomerAccount({ actor, customerId, proof: await scriptProof(own.credentials, challenge.nonce) });
  return { ...own, message };
}
