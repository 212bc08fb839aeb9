// Every admin page, found on disk so new pages are covered, as each role sees it: signed out goes
// to sign-in, a customer gets a 403, a viewer reads without a single write control, an admin works.
import { expect, test, type Page } from "./judged-test";
import { adminPageRoutes, adminPageUrl } from "./admin-routes";
import { storageState } from "./roles";

/**
 * What could change something in the page's main area: every form and enabled button outside the
 * forms declared method="get" (search, filters: they only change the URL). Described by test id,
 * label or text.
 */
function writeControls(page: Page) {
  return page.locator("#main").evaluate((main) =>
    [...main.querySelectorAll("form, button, input[type=submit]")]
      .filter((el) => !el.closest('form[method="get" i]') && !(el as HTMLButtonElement).disabled)
      .map((el) => `<${el.tagName.toLowerCase()}> ${el.getAttribute("data-testid") ?? el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 60)}`),
  );
}

/** Write controls an admin must see, proving writeControls() finds what a viewer must not have. */
const ADMIN_SEES: Record<string, string> = { "/admin/entitlements": "grant-form", "/admin/entitlements/[id]": "revoke-button" };

test("finds the admin pages on disk, so a broken walk cannot pass with nothing to check", () => {
  expect(adminPageRoutes.length).toBeGreaterThan(5);
  expect(adminPageRoutes).toEqual(expect.arrayContaining(["/admin", ...Object.keys(ADMIN_SEES)]));
});

test.describe("signed out", () => {
  for (const route of adminPageRoutes) {
    test(`${route} sends to the sign-in page`, async ({ page }) => {
      await page.goto(adminPageUrl(route));
      await expect(page).toHaveURL(/\/login/);
      await expect(page.getByTestId("login-email")).toBeVisible();
    });
  }
});

test.describe("as a customer owner", () => {
  test.use({ storageState: storageState("customer") });
  for (const route of adminPageRoutes) {
    test(`${route} answers 403 with the forbidden page`, async ({ page }) => {
      const response = await page.goto(adminPageUrl(route));
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(/do not have access/i);
    });
  }
});

test.describe("as a vendor viewer", () => {
  test.use({ storageState: storageState("viewer") });
  for (const route of adminPageRoutes) {
    test(`${route} shows the page without any write control`, async ({ page }) => {
      const response = await page.goto(adminPageUrl(route));
      expect(response?.status()).toBe(200);
      await expect(page.getByText("Viewer (read-only)")).toBeVisible();
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await writeControls(page)).toEqual([]);
    });
  }
});

test.describe("as the vendor admin", () => {
  test.use({ storageState: storageState("admin") });
  for (const route of adminPageRoutes) {
    test(`${route} shows the page${ADMIN_SEES[route] ? ` with ${ADMIN_SEES[route]}` : ""}`, async ({ page }) => {
      const response = await page.goto(adminPageUrl(route));
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const expected = ADMIN_SEES[route];
      if (expected) {
        await expect(page.getByTestId(expected)).toBeVisible();
        expect(await writeControls(page)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
      }
    });
  }
});
