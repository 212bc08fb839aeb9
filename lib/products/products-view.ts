import { db } from "@/lib/db";
import type { AccessMode } from "@/lib/generated/prisma/enums";
import { repositoryRowSelect, toRepositoryRow, type RepositoryRow } from "./repository-row";

export type ProductRow = {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  gracePeriodDays: number;
  trialDays: number;
  defaultTermDays: number;
  renewalUrl: string | null;
  /** How its customers may pull, and how a new customer starts. */
  accessModes: AccessMode[];
  defaultAccessMode: AccessMode;
  entitlementCount: number;
  /** The Stripe prices that sell it, oldest first. */
  stripePriceIds: string[];
  repositories: RepositoryRow[];
};

/** Every product by name, with its terms, access modes, repositories, Stripe prices and number of entitlements: the products page. */
export async function listProducts(): Promise<ProductRow[]> {
  const products = await db.product.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      slug: true,
      description: true,
      gracePeriodDays: true,
      trialDays: true,
      defaultTermDays: true,
      renewalUrl: true,
      accessModes: true,
      defaultAccessMode: true,
      repositories: { orderBy: { name: "asc" }, select: repositoryRowSelect },
      stripePrices: { orderBy: { createdAt: "asc" }, select: { id: true } },
      _count: { select: { entitlements: true } },
    },
  });
  return products.map(({ repositories, stripePrices, _count, ...product }) => ({
    ...product,
    entitlementCount: _count.entitlements,
    stripePriceIds: stripePrices.map((price) => price.id),
    repositories: repositories.map(toRepositoryRow),
  }));
}
