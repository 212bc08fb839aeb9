import Link from "next/link";
import { linkClass } from "./styles";

type Props = { basePath: string; page: number; pageCount: number; params?: Record<string, string | undefined> };

function href(basePath: string, params: Record<string, string | undefined>, page: number) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) query.set(k, v);
  if (page > 1) query.set("page", String(page));
  const qs = query.toString();
  return qs ? `${basePath}?${qs}` : basePath;
}

/** A list's total as its header shows it: one the count stopped at reads "10,000+". */
export const totalLabel = (total: number, capped: boolean) => `${total.toLocaleString("en-US")}${capped ? "+" : ""}`;

export function Pagination({ basePath, page, pageCount, params = {} }: Props) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-4 text-sm">
      {page > 1 ? (
        <Link href={href(basePath, params, page - 1)} className={linkClass}>
          Previous page
        </Link>
      ) : (
        <span />
      )}
      <span>
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <Link href={href(basePath, params, page + 1)} className={linkClass}>
          Next page
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
