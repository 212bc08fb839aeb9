import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClass } from "./button";
import { linkClass } from "./styles";

/** The end of a GET filter form: apply, clear back to `clearHref`, and any extra links. */
export function FilterActions({ clearHref, className = "", children }: { clearHref: string; className?: string; children?: ReactNode }) {
  return (
    <div className={`flex flex-wrap items-center gap-4 ${className}`}>
      <button type="submit" className={buttonClass("secondary")}>
        Apply
      </button>
      <Link href={clearHref} className={linkClass}>
        Clear filters
      </Link>
      {children}
    </div>
  );
}
