// axe on every page, in light and dark mode, as the role that uses it: WCAG 2.1 A and AA.
import { expect, test } from "./judged-test";
import { adminPageUrls } from "./admin-routes";
import { axeViolations as violations } from "./people";
import { seededRows, storageState, type Role } from "./roles";

const SCHEMES = ["light", "dark"] as const;

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
        // The admin's pages are many (each a full render and an axe pass): a longer budget, so a busy machine is not a failure.
        if (role === "admin") test.slow();
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
