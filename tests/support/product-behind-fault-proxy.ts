import { afterAll, beforeAll, inject } from "vitest";
import type { RepositoryRef } from "@/lib/aws/ecr";
import { awsAdmin } from "./aws-admin";
import { closePools } from "./close-pools";
import { startFaultProxy, type FaultProxy } from "./fault-proxy";

/**
 * The set-up of a test file that puts AWS's faults between the portal and the emulator: a product
 * on a repository of its own, and a fault proxy in front of the emulator for the portal's workers
 * to call through. Made before the file's tests, closed after them with the file's pools.
 */
export function productBehindFaultProxy(options: { foreignStatement?: object } = {}) {
  const ctx = inject("integration");
  const fixture = { admin: awsAdmin(ctx) } as { admin: ReturnType<typeof awsAdmin>; proxy: FaultProxy; repo: RepositoryRef; slug: string };
  beforeAll(async () => {
    fixture.proxy = await startFaultProxy(ctx.awsEndpoint);
    ({ repo: fixture.repo, slug: fixture.slug } = await fixture.admin.productOnNewRepository(options));
  });
  afterAll(async () => {
    await fixture.proxy?.close();
    fixture.admin.destroy();
    await closePools();
  });
  return fixture;
}
