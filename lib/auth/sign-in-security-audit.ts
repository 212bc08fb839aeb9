import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db, Tx } from "@/lib/db";
import type { SignInContext } from "./sign-in-context";

export type SignInSecurityAction =
  | "user.mfa_enrolled"
  | "user.mfa_verified"
  | "user.mfa_failed"
  | "user.mfa_locked_out"
  | "user.mfa_removed"
  | "user.mfa_reset"
  | "user.passkey_added"
  | "user.passkey_removed"
  | "vendor.mfa_rule_changed"
  | "customer.mfa_rule_changed"
  | "sso.configured"
  | "sso.removed"
  | "sso.domain_verified"
  | "vendor.sso_only_changed"
  | "user.created_by_sso";

/** Every MFA and SSO event names the user it is about and where the request came from. */
export function auditSignInSecurity(
  client: Db | Tx,
  actor: Actor,
  action: SignInSecurityAction,
  subject: { id?: string; email?: string; customerId: string | null },
  context: SignInContext,
  extra: Record<string, string | boolean | number | null> = {},
) {
  return recordAuditEvent(client, {
    actor,
    action,
    customerId: subject.customerId,
    data: { ...(subject.id ? { userId: subject.id, email: subject.email ?? null } : {}), ...extra, ip: context.ip, userAgent: context.userAgent },
  });
}
