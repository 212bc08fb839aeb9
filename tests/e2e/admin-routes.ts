import { readdirSync } from "node:fs";
import path from "node:path";
import { seededRows, type SeededRows } from "./roles";

// Every admin page, found on disk so that a new page is covered by the specs that walk them.

const ADMIN_DIR = "app/(admin)/admin";

/** "/admin/entitlements/[id]" style routes of every page.tsx; route groups are not part of the URL. */
export const adminPageRoutes = readdirSync(ADMIN_DIR, { recursive: true, encoding: "utf8" })
  .filter((file) => path.basename(file) === "page.tsx")
  .map((file) => ["/admin", ...path.dirname(file).split(path.sep).filter((s) => s !== "." && !/^\(.*\)$/.test(s))].join("/"))
  .sort();

/** Which seeded row fills a dynamic segment, by the segment before it. */
const ROW_FOR: Record<string, keyof SeededRows> = { customers: "customerId", entitlements: "entitlementId", bulk: "bulkOperationId" };

export function adminPageUrl(route: string) {
  const rows = seededRows();
  return route.replace(/\/([\w-]+)\/\[[^\]]+\]/g, (_, parent: string) => {
    const row = ROW_FOR[parent];
    if (!row) throw new Error(`No seeded row for ${route}: give roles.setup.ts one and map "${parent}" in ROW_FOR`);
    return `/${parent}/${rows[row]}`;
  });
}

export const adminPageUrls = () => adminPageRoutes.map(adminPageUrl);
