import { afterAll, beforeAll, inject } from "vitest";
import type { RepositoryRef } from "@/lib/aws/ecr";
import { awsAdmin } from "./aws-admin";
import { closePools } from "./close-pools";

/**
 * For a test file whose tests share one product on a fresh repository of its own: made before
 * the tests, with the AWS clients and database pools closed after them.
 */
export function productOnNewRepositoryFixture() {
  const ctx = inject("integration");
  const admin = awsAdmin(ctx);
  const product = {} as { repo: RepositoryRef; slug: string };
  beforeAll(async () => {
    const { repo, slug } = await admin.productOnNewRepository();
    Object.assign(product, { repo, slug });
  });
  afterAll(async () => {
    admin.destroy();
    await closePools();
  });
  return { ctx, admin, product };
}
