// axe on every page, in light and dark mode, as the role that uses it: WCAG 2.1 A and AA.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./judged-test";
import { adminPageUrls } from "./admin-routes";
import { seededRows, storageState, type Role } from "./roles";

const SCHEMES = ["light", "dark"] as const;

async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

function pagesOf(role: Role | "anonymous"): () => string[] {
  switch (role) {
    case "admin": {
      // Each page as first opened, plus the states that only a query shows.
      return () => {
        const { customerId, entitlementId } = seededRows();
        return [
          ...adminPageUrls(),
          "/admin/entitlements?status=failed&sort=customer",
          "/admin/entitlements?q=no-such-customer",
          `/admin/access-check?customer=${customerId}`,
          `/admin/audit?customer=${customerId}`,
          `/admin/bulk?ids=${entitlementId}`,
          "/account/security",
        ];
      };
    }
    case "customer":
      return () => ["/portal", "/portal/accounts", "/portal/team", "/account/security"];
    case "anonymous":
      return () => ["/login", "/login/link?token=expired"];
    default:
      return () => [];
  }
}

for (const role of ["admin", "customer", "anonymous"] as const) {
  test.describe(`as ${role}`, () => {
    if (role !== "anonymous") test.use({ storageState: storageState(role) });
    for (const colorScheme of SCHEMES) {
      test(`every page has no axe violations in ${colorScheme} mode`, async ({ page }) => {
        await page.emulateMedia({ colorScheme });
        const found: string[] = [];
        for (const url of pagesOf(role)()) {
          const response = await page.goto(url);
          expect(response?.status(), url).toBeLessThan(400);
          await page.waitForLoadState("networkidle");
          found.push(...(await violations(page)).map((v) => `${url}: ${v}`));
        }
        expect(found).toEqual([]);
      });
    }
  });
}
