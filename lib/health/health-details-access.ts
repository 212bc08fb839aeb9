import { createHash, timingSafeEqual } from "node:crypto";
import { VENDOR_WRITER_ROLES } from "@/lib/auth/roles";
import { currentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

// Both sides hashed first: timingSafeEqual wants equal lengths, and a digest leaks no length.
const digest = (value: string) => createHash("sha256").update(value).digest();

/** Whether an Authorization header carries exactly `Bearer <expected>`, compared in constant time. */
export function bearerTokenMatches(authorization: string | null, expected: string | undefined): boolean {
  if (!expected || !authorization) return false;
  const token = /^Bearer +(\S+)$/i.exec(authorization.trim())?.[1];
  return token !== undefined && timingSafeEqual(digest(token), digest(expected));
}

/**
 * /api/health's details (which checks fail, their errors and latencies) are for the operator's
 * monitor (PULLGATE_HEALTH_TOKEN) and vendor owners and admins; everyone else gets liveness alone.
 */
export async function mayReadHealthDetails(request: Request): Promise<boolean> {
  if (bearerTokenMatches(request.headers.get("authorization"), env().PULLGATE_HEALTH_TOKEN)) return true;
  // The session is read from the database: when that is down, the probe still answers 503.
  const user = await currentUser().catch(() => null);
  return user !== null && VENDOR_WRITER_ROLES.includes(user.role);
}
