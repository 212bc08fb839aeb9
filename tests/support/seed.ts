import { db } from "@/lib/db";

let counter = 0;
/** Unique per call, so tests never see each other's rows. */
export const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

/** An expiry a year from now, as the API takes it. */
export const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

export async function createProduct(opts: { accountId: string; region: string; repositories: string[]; gracePeriodDays?: number }) {
  const slug = unique("product");
  return db.product.create({
    data: {
      slug,
      name: `Product ${slug}`,
      gracePeriodDays: opts.gracePeriodDays ?? 0,
      repositories: {
        create: opts.repositories.map((name) => ({ accountId: opts.accountId, region: opts.region, name })),
      },
    },
    include: { repositories: true },
  });
}
