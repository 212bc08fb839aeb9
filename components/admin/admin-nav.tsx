import { SectionNav } from "@/components/ui/section-nav";

const items = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/entitlements", label: "Entitlements" },
  { href: "/admin/customers", label: "Customers" },
  { href: "/admin/products", label: "Products" },
  { href: "/admin/access-check", label: "Access check" },
  { href: "/admin/bulk", label: "Bulk actions" },
  { href: "/admin/team", label: "Team" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/engine", label: "Engine" },
  { href: "/admin/audit", label: "Audit log" },
];

export const AdminNav = () => <SectionNav label="Admin" items={items} />;
