import { db } from "@/lib/db";
import { apiKeyScopeLabels, apiKeyStatus } from "./api-keys";

/** A key as the admin sees it: never its hash. */
export type ApiKeyRow = {
  id: string;
  label: string;
  prefix: string;
  scopeLabel: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Why Pullgate revoked it; null when a person did, or it is not revoked. */
  revokedReason: string | null;
  status: ReturnType<typeof apiKeyStatus>;
  /** Null when it has no owner: made before keys had owners, or by the system. */
  ownerEmail: string | null;
};

/** Every API key: live ones first, then revoked ones, newest first within each. */
export async function listApiKeys(now = new Date()): Promise<ApiKeyRow[]> {
  const keys = await db.apiKey.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: {
      id: true,
      label: true,
      prefix: true,
      scope: true,
      ownedByUser: true,
      createdById: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      revokedAt: true,
      revokedReason: true,
      createdBy: { select: { email: true } },
    },
  });
  return keys.map(({ createdBy, scope, ownedByUser, createdById, ...key }) => ({
    ...key,
    scopeLabel: apiKeyScopeLabels[scope],
    status: apiKeyStatus({ ...key, ownedByUser, createdById }, now),
    ownerEmail: createdBy?.email ?? null,
  }));
}

/** The scopes a new key may get, for the form's choice. */
export const apiKeyScopeOptions = () => Object.entries(apiKeyScopeLabels).map(([value, label]) => ({ value, label }));
