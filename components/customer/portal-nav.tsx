import { SectionNav } from "@/components/ui/section-nav";

const items = [
  { href: "/portal", label: "Downloads" },
  { href: "/portal/accounts", label: "AWS accounts" },
  { href: "/portal/tokens", label: "Pull tokens" },
  { href: "/portal/workloads", label: "Workloads" },
  { href: "/portal/team", label: "Your team" },
];

export const PortalNav = () => <SectionNav label="Portal" items={items} />;
