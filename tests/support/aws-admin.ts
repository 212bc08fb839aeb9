import type { RepositoryRef } from "@/lib/aws/ecr";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import { createProduct, unique } from "./seed";

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
  const admin = vendorAdmin({ endpoint: ctx.awsEndpoint, region: ctx.region, accountId: ctx.accountId, credentials: ctx.admin });
  return {
    createRepository: (opts: { foreignStatement?: object } = {}): Promise<RepositoryRef> =>
      admin.createRepository(`it/${unique("repo")}`, opts),

    /** A product of its own on a fresh repository, so tests never share a policy document. */
    async productOnNewRepository(opts: { foreignStatement?: object; gracePeriodDays?: number } = {}) {
      const repo = await admin.createRepository(`it/${unique("repo")}`, { foreignStatement: opts.foreignStatement });
      const product = await createProduct({
        accountId: ctx.accountId,
        region: ctx.region,
        repositories: [repo.name],
        gracePeriodDays: opts.gracePeriodDays,
      });
      return { repo, product, slug: product.slug };
    },

    /** Every IAM user Pullgate ever created for the customer that still exists. */
    async customerUserNames(customerId: string): Promise<string[]> {
      return (await admin.userNames("/pullgate/")).filter((name) => name.startsWith(`pullgate-${customerId}-`));
    },

    policyDocument: admin.policyDocument,
    setRepositoryPolicy: admin.setRepositoryPolicy,
    createUser: admin.createUser,
    createAccessKey: admin.createAccessKey,
    userNames: admin.userNames,
    destroy: admin.destroy,
  };
}
