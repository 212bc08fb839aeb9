import { repositoryUri } from "@/lib/aws/ecr";
import { PRODUCT_TAG_KEY } from "@/lib/aws/pull-policy";
import type { Prisma } from "@/lib/generated/prisma/client";
import { policySize, strategyLabel, type PolicySize } from "./repository-strategy";

// A repository as the admin tables show it. Its URI, its grant strategy in words and its policy's
// size against ECR's limit are worked out here, so the tables only lay them out.

export type RepositoryRow = {
  id: string;
  uri: string;
  strategyLabel: string;
  strategyReason: string | null;
  /** Under identity policies: the product tag customers' policies match on it, or that it is not tagged yet. */
  productTag: string | null;
  policySize: PolicySize;
  syncedAt: Date | null;
  syncError: string | null;
  /** The product it serves, where repositories of several products share a table. */
  productName: string | null;
};

/** The columns a row is made from. */
export const repositoryRowSelect = {
  id: true,
  accountId: true,
  region: true,
  name: true,
  strategy: true,
  strategyReason: true,
  taggedFor: true,
  policyChars: true,
  syncedAt: true,
  syncError: true,
} as const satisfies Prisma.RepositorySelect;

type RepositoryRecord = Prisma.RepositoryGetPayload<{ select: typeof repositoryRowSelect }> & { product?: { name: string } };

export function toRepositoryRow(r: RepositoryRecord): RepositoryRow {
  return {
    id: r.id,
    uri: repositoryUri(r),
    strategyLabel: strategyLabel(r.strategy),
    strategyReason: r.strategyReason,
    productTag: r.strategy !== "IDENTITY_POLICY" ? null : r.taggedFor ? `Tagged ${PRODUCT_TAG_KEY}=${r.taggedFor}` : "Product tag not on it yet",
    policySize: policySize(r.policyChars),
    syncedAt: r.syncedAt,
    syncError: r.syncError,
    productName: r.product?.name ?? null,
  };
}
