import { hashPassword } from "@/lib/auth/password";
import { hashToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db";

export const DEMO_PRODUCT = {
  slug: "acme-analytics",
  name: "Acme Analytics",
  description: "Self-hosted analytics server and its background worker",
  renewalUrl: "https://store.acme.example/renew/analytics",
  repositories: [
    { name: "acme/analytics-server", tags: ["1.0.0", "1.1.0", "2.0.0"] },
    { name: "acme/analytics-worker", tags: ["1.0.0", "2.0.0"] },
  ],
};

/** In the emulator but in no product yet: what an admin picks when attaching a repository. */
export const DEMO_SPARE_REPOSITORIES = [{ name: "acme/reporting", tags: ["0.9.0"] }];

type SeedOptions = {
  admin: { email: string; password: string };
  apiKey: string;
  /** Present when the AWS account is the sandbox's own emulator, which holds the demo repositories. */
  demo?: { accountId: string; region: string };
};

/** Makes the sandbox's vendor admin, API key and (with the emulator) demo product exist. Safe to rerun. */
export async function seedSandbox({ admin, apiKey, demo }: SeedOptions) {
  const passwordHash = await hashPassword(admin.password);
  const user = await db.user.upsert({
    where: { email: admin.email },
    create: { email: admin.email, name: "Sandbox admin", role: "VENDOR_OWNER", passwordHash },
    update: { passwordHash, role: "VENDOR_OWNER", customerId: null },
  });
  await db.apiKey.upsert({
    where: { hash: hashToken(apiKey) },
    create: { label: "sandbox", prefix: apiKey.slice(0, 10), hash: hashToken(apiKey), scope: "READ_WRITE", createdById: user.id, ownedByUser: true },
    update: { revokedAt: null, revokedReason: null },
  });
  if (!demo) return;
  const product = await db.product.upsert({
    where: { slug: DEMO_PRODUCT.slug },
    create: { slug: DEMO_PRODUCT.slug, name: DEMO_PRODUCT.name, description: DEMO_PRODUCT.description, renewalUrl: DEMO_PRODUCT.renewalUrl },
    update: {},
  });
  for (const repo of DEMO_PRODUCT.repositories) {
    await db.repository.upsert({
      where: { accountId_region_name: { accountId: demo.accountId, region: demo.region, name: repo.name } },
      create: { productId: product.id, accountId: demo.accountId, region: demo.region, name: repo.name },
      update: {},
    });
  }
}
