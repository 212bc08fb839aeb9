"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { focusRing } from "@/components/ui/styles";

const items = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/entitlements", label: "Entitlements" },
  { href: "/admin/customers", label: "Customers" },
  { href: "/admin/products", label: "Products" },
  { href: "/admin/access-check", label: "Access check" },
  { href: "/admin/bulk", label: "Bulk actions" },
  { href: "/admin/team", label: "Team" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/engine", label: "Engine" },
  { href: "/admin/audit", label: "Audit log" },
];

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin">
      <ul className="-mb-px flex flex-wrap gap-1 text-sm">
        {items.map((item) => {
          const current = item.href === "/admin" ? pathname === "/admin" : pathname.startsWith(item.href);
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
