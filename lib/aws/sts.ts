import "server-only";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { call } from "./aws-error";
import { stsClient } from "./clients";

/** Asks AWS who the portal is (GetCallerIdentity needs no permission): a reachability probe too. */
export async function callerAccountId(): Promise<string> {
  const out = await call("sts:GetCallerIdentity", () => stsClient().send(new GetCallerIdentityCommand({})));
  return out.Account!;
}

let accountId: Promise<string> | undefined;

/** The AWS account the portal runs in, asked once per process. */
export function portalAccountId(): Promise<string> {
  accountId ??= callerAccountId().catch((error) => {
    accountId = undefined;
    throw error;
  });
  return accountId;
}
