import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { call } from "./aws-error";
import { stsClient } from "./clients";

let accountId: Promise<string> | undefined;

/** The AWS account the portal runs in (GetCallerIdentity needs no permission). */
export function portalAccountId(): Promise<string> {
  accountId ??= call("sts:GetCallerIdentity", () => stsClient().send(new GetCallerIdentityCommand({}))).then(
    (out) => out.Account!,
    (error) => {
      accountId = undefined;
      throw error;
    },
  );
  return accountId;
}
