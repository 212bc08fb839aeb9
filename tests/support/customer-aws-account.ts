import { inject } from "vitest";
import { addOracleAccounts } from "./aws-oracle/oracle-proxy";

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
