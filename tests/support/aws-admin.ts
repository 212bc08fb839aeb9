import { expect } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import type { RepositoryRef } from "@/lib/aws/ecr";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import { createProduct, inAYear, unique } from "./seed";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";

type AdminContext = {
  awsEndpoint: string;
  s3Endpoint?: string;
  region: string;
  accountId: string;
  admin: { accessKeyId: string; secretAccessKey: string };
};

/**
 * The vendor administrator of its registry account (the second account holding repositories),
 * with the same abilities as `awsAdmin` there: its repositories and products on them are in that
 * account.
 */
export function registryAccountAdmin(ctx: AdminContext & { registryAccount: { accountId: string; admin: AdminContext["admin"] } }) {
  return awsAdmin({ ...ctx, accountId: ctx.registryAccount.accountId, admin: ctx.registryAccount.admin });
}

/**
 * The vendor administrator's view of the account, for what the portal's own identity may not
 * do: create repositories (a Repository row belongs to one product for good, so each test needs
 * its own) and list every IAM user (to find orphans).
 */
export function awsAdmin(ctx: AdminContext) {
  const admin = vendorAdmin({ endpoint: ctx.awsEndpoint, s3Endpoint: ctx.s3Endpoint, region: ctx.region, accountId: ctx.accountId, credentials: ctx.admin });
  return {
    createRepository: (opts: { foreignStatement?: object; unmarked?: boolean } = {}): Promise<RepositoryRef> =>
      admin.createRepository(`it/${unique("repo")}`, opts),
    createRepositoryNamed: (name: string): Promise<RepositoryRef> => admin.createRepository(name),

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

    /** A new customer's purchase of a product of its own, provisioned before it returns. */
    async grantOnNewProduct(emailPrefix: string) {
      const { slug, repo } = await this.productOnNewRepository();
      const granted = await grantEntitlement({
        actor: systemActor("test"),
        source: "API",
        input: { customerEmail: `${unique(emailPrefix)}@example.com`, productSlug: slug, expiresAt: inAYear() },
      });
      expect(await convergeCustomer(granted.entitlement.customerId, systemActor("test"))).toEqual({ ok: true });
      return { ...granted, repo };
    },

    /** Every IAM user Pullgate ever created for the customer that still exists. */
    async customerUserNames(customerId: string): Promise<string[]> {
      return (await admin.userNames("/pullgate/")).filter((name) => name.startsWith(`pullgate-${customerId}-`));
    },

    policyDocument: admin.policyDocument,
    putTrailLog: admin.putTrailLog,
    setRepositoryPolicy: admin.setRepositoryPolicy,
    untagRepository: admin.untagRepository,
    markRepository: admin.markRepository,
    createUser: admin.createUser,
    deleteUser: admin.deleteUser,
    createAccessKey: admin.createAccessKey,
    putUserPolicy: admin.putUserPolicy,
    userNames: admin.userNames,
    destroy: admin.destroy,
  };
}
