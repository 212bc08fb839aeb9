import "server-only";
import { ECRClient } from "@aws-sdk/client-ecr";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { env } from "@/lib/env";
import type { Credentials } from "./vendor-admin";
import { raiseXmlErrors } from "./xml-error-body";

/**
 * The clients of a tool an administrator runs (the preflight): signed by `credentials`, else by
 * the default chain, and never through a registry role, so that an account is read as its own
 * administrator sees it. `destroy` closes them.
 */
export function administratorClients(credentials?: Credentials) {
  const base = { endpoint: env().PULLGATE_AWS_ENDPOINT, maxAttempts: 3, ...(credentials ? { credentials } : {}) };
  const iam = new IAMClient({ ...base, region: "us-east-1" });
  const sts = new STSClient({ ...base, region: env().AWS_REGION });
  const ecrByRegion = new Map<string, ECRClient>();
  return {
    iam,
    sts,
    ecr(region: string) {
      let client = ecrByRegion.get(region);
      if (!client) {
        client = raiseXmlErrors(new ECRClient({ ...base, region }));
        ecrByRegion.set(region, client);
      }
      return client;
    },
    destroy() {
      iam.destroy();
      sts.destroy();
      for (const client of ecrByRegion.values()) client.destroy();
    },
  };
}

export type AdministratorClients = ReturnType<typeof administratorClients>;
