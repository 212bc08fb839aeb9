import { auditFilterParams, type AuditFilters } from "@/lib/audit/list-audit-events";

/** A link under the audit log that keeps the current filters; blanks are left out of the URL. */
export function auditHref(path: string, filters: AuditFilters, extra: Record<string, string> = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...auditFilterParams(filters), ...extra })) if (v) query.set(k, v);
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}
