import "server-only";
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { call } from "./aws-error";
import { stsClient } from "./clients";
import { arnPartition, type AwsAccount } from "./partition";

/**
 * Asks AWS who the portal is, or whoever `sts` signs as (GetCallerIdentity needs no permission):
 * a reachability probe too.
 */
export async function callerAccount(sts: STSClient = stsClient()): Promise<AwsAccount> {
  const out = await call("sts:GetCallerIdentity", () => sts.send(new GetCallerIdentityCommand({})));
  return { accountId: out.Account!, partition: arnPartition(out.Arn!) };
}

let account: Promise<AwsAccount> | undefined;

/** The AWS account the portal runs in and its partition, asked once per process. */
export function portalAccount(): Promise<AwsAccount> {
  account ??= callerAccount().catch((error) => {
    account = undefined;
    throw error;
  });
  return account;
}
