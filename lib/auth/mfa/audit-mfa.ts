import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Db, Tx } from "@/lib/db";
import type { SignInContext } from "../sign-in-context";

export type MfaAction =
  | "user.mfa_enrolled"
  | "user.mfa_verified"
  | "user.mfa_failed"
  | "user.mfa_locked_out"
  | "user.mfa_removed"
  | "user.mfa_reset"
  | "user.passkey_added"
  | "user.passkey_removed"
  | "vendor.mfa_rule_changed"
  | "customer.mfa_rule_changed";

/** Every MFA event names the user it is about and where the request came from. */
export function auditMfa(
  client: Db | Tx,
  actor: Actor,
  action: MfaAction,
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
