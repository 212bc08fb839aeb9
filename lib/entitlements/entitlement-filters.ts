import { Prisma } from "@/lib/generated/prisma/client";

// The admin's entitlement filters as SQL over "Entitlement" aliased `e`: the table pages with
// them and the overview counts every tile with them in one pass, so a tile and the table it
// links to always agree. Each is a condition on indexed columns.

const DAY_MS = 86_400_000;

export const ENTITLEMENT_FILTERS = ["active", "pending", "failed", "scheduled", "suspended", "expired", "revoked"] as const;
export type EntitlementFilter = (typeof ENTITLEMENT_FILTERS)[number];
export const EXPIRY_WINDOWS = ["7", "30", "90"] as const;

export function statusCondition(status: EntitlementFilter, now: Date): Prisma.Sql {
  switch (status) {
    case "active":
      return Prisma.sql`(e.status = 'ACTIVE' AND e."startsAt" <= ${now} AND e."expiresAt" > ${now} AND e."syncStatus" = 'SYNCED')`;
    case "pending":
      return Prisma.sql`(e.status = 'ACTIVE' AND e."startsAt" <= ${now} AND e."syncStatus" = 'PENDING')`;
    case "failed":
      return Prisma.sql`e."syncStatus" = 'FAILED'`;
    case "scheduled":
      return Prisma.sql`(e.status = 'ACTIVE' AND e."startsAt" > ${now})`;
    case "suspended":
      return Prisma.sql`e.status = 'SUSPENDED'`;
    case "expired":
      return Prisma.sql`(e.status = 'EXPIRED' OR (e.status = 'ACTIVE' AND e."expiresAt" <= ${now}))`;
    case "revoked":
      return Prisma.sql`e.status = 'REVOKED'`;
  }
}

/** Still active and ending within the next `days` days. */
export function expiringWithinCondition(days: number, now: Date): Prisma.Sql {
  return Prisma.sql`(e.status = 'ACTIVE' AND e."expiresAt" > ${now} AND e."expiresAt" <= ${new Date(now.getTime() + days * DAY_MS)})`;
}
