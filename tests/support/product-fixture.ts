import { afterAll, beforeAll, inject } from "vitest";
import type { RepositoryRef } from "@/lib/aws/ecr";
import { awsAdmin } from "./aws-admin";
import { closePools } from "./close-pools";

/** The vendor's AWS administrator for a test file, its clients and the database pools closed after the tests. */
export function awsAdminFixture() {
  const ctx = inject("integration");
  const admin = awsAdmin(ctx);
  afterAll(async () => {
    admin.destroy();
    await closePools();
  });
  return { ctx, admin };
}

/**
 * For a test file whose tests share one product on a fresh repository of its own: made before
 * the tests, with the AWS clients and database pools closed after them.
 */
export function productOnNewRepositoryFixture() {
  const { ctx, admin } = awsAdminFixture();
  const product = {} as { repo: RepositoryRef; slug: string };
  beforeAll(async () => {
    const { repo, slug } = await admin.productOnNewRepository();
    Object.assign(product, { repo, slug });
  });
  return { ctx, admin, product };
}
