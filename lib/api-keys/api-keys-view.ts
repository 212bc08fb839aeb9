import { db } from "@/lib/db";

/** A key as the admin sees it: never its hash. */
export type ApiKeyRow = {
  id: string;
  label: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Null when no user created it, or that user has since been removed. */
  createdByEmail: string | null;
};

/** Every API key: live ones first, then revoked ones, newest first within each. */
export async function listApiKeys(): Promise<ApiKeyRow[]> {
  const keys = await db.apiKey.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: { id: true, label: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true, createdBy: { select: { email: true } } },
  });
  return keys.map(({ createdBy, ...key }) => ({ ...key, createdByEmail: createdBy?.email ?? null }));
}
