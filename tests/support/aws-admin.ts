// The vendor administrator acts outside the portal, so it talks to AWS directly rather than
// through lib/aws (which has no call to create repositories or list all users, by design).
/* eslint-disable no-restricted-imports */
import { CreateRepositoryCommand, ECRClient, SetRepositoryPolicyCommand } from "@aws-sdk/client-ecr";
import { IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import type { RepositoryRef } from "@/lib/aws/ecr";
import { unique } from "./seed";

type AdminContext = {
  awsEndpoint: string;
  region: string;
  accountId: string;
  admin: { accessKeyId: string; secretAccessKey: string };
};

/**
 * The vendor administrator's view of the account, for what the portal's own identity may not
 * do: create repositories (a Repository row belongs to one product for good, so each test needs
 * its own) and list every IAM user (to find orphans).
 */
export function awsAdmin(ctx: AdminContext) {
  const base = { endpoint: ctx.awsEndpoint, credentials: ctx.admin, maxAttempts: 2 };
  const ecr = new ECRClient({ ...base, region: ctx.region });
  const iam = new IAMClient({ ...base, region: "us-east-1" });

  return {
    async createRepository(opts: { foreignStatement?: object } = {}): Promise<RepositoryRef> {
      const name = `it/${unique("repo")}`;
      await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
      if (opts.foreignStatement) {
        await ecr.send(
          new SetRepositoryPolicyCommand({
            repositoryName: name,
            policyText: JSON.stringify({ Version: "2012-10-17", Statement: [opts.foreignStatement] }),
          }),
        );
      }
      return { accountId: ctx.accountId, region: ctx.region, name };
    },

    /** Every IAM user Pullgate ever created for the customer that still exists. */
    async customerUserNames(customerId: string): Promise<string[]> {
      const names: string[] = [];
      let marker: string | undefined;
      do {
        const out = await iam.send(new ListUsersCommand({ PathPrefix: "/pullgate/", Marker: marker }));
        for (const u of out.Users ?? []) if (u.UserName?.startsWith(`pullgate-${customerId}-`)) names.push(u.UserName);
        marker = out.IsTruncated ? out.Marker : undefined;
      } while (marker);
      return names.sort();
    },

    destroy() {
      ecr.destroy();
      iam.destroy();
    },
  };
}
