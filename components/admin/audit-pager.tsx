import Link from "next/link";
import { linkClass } from "@/components/ui/styles";
import { cursorParam, type AuditCursor, type AuditFilters } from "@/lib/audit/list-audit-events";
import { auditHref } from "./audit-href";

type Props = { filters: AuditFilters; newer: AuditCursor | null; older: AuditCursor | null };

/** Newer and older pages by position in the log, so paging stays fast however long it grows. */
export function AuditPager({ filters, newer, older }: Props) {
  if (!newer && !older) return null;
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-4 text-sm">
      {newer ? (
        <span className="flex gap-4">
          <Link href={auditHref("/admin/audit", filters)} className={linkClass}>
            Newest events
          </Link>
          <Link href={auditHref("/admin/audit", filters, { after: cursorParam(newer) })} className={linkClass}>
            Newer events
          </Link>
        </span>
      ) : (
        <span />
      )}
      {older ? (
        <Link href={auditHref("/admin/audit", filters, { before: cursorParam(older) })} className={linkClass}>
          Older events
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
