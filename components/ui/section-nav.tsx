"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { focusRing } from "./styles";

export type NavItem = { href: string; label: string };

/**
 * An area's sections as tabs, the current one marked for screen readers. The first item is the
 * area's home: it is current only on its own path, the others also on their sub-pages.
 */
export function SectionNav({ label, items }: { label: string; items: NavItem[] }) {
  const pathname = usePathname();
  const home = items[0]?.href;
  return (
    <nav aria-label={label}>
      <ul className="-mb-px flex flex-wrap gap-1 text-sm">
        {items.map((item) => {
          const current = item.href === home ? pathname === home : pathname.startsWith(item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={current ? "page" : undefined}
                className={`inline-block border-b-2 px-3 py-2 font-medium ${focusRing} ${
                  current
                    ? "border-indigo-700 text-indigo-800 dark:border-indigo-300 dark:text-indigo-200"
                    : "border-transparent text-slate-700 hover:border-slate-400 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white"
                }`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
