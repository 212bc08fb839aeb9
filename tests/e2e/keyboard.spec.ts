// The admin works without a mouse: the skip link, the filters, and a confirm step that takes
// focus to its question and gives it back.
import { expect, test } from "./judged-test";
import { seededRows, storageState } from "./roles";

test.use({ storageState: storageState("admin") });

const focusedText = (page: import("@playwright/test").Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");

test("the first Tab reaches the skip link, which moves focus past the header", async ({ page }) => {
  await page.goto("/admin/entitlements");
  await page.keyboard.press("Tab");
  expect(await focusedText(page)).toBe("Skip to content");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  // The next Tab lands inside the main area, not on the navigation.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest("#main")))).toBe(true);
});

test("filters the table from the keyboard alone", async ({ page }) => {
  await page.goto("/admin/entitlements");
  await page.getByLabel("Search").focus();
  await page.keyboard.type("no-such-customer-anywhere");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/q=no-such-customer-anywhere/);
  await expect(page.getByRole("table", { name: "Entitlements" })).toContainText("No entitlements match these filters.");
});

test("a confirm step takes focus to its question and Cancel gives the control back", async ({ page }) => {
  await page.goto(`/admin/entitlements/${seededRows().entitlementId}`);
  await page.getByTestId("revoke-button").focus();
  await page.keyboard.press("Enter");
  expect(await focusedText(page)).toMatch(/^The customer loses access/);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel(/reason/i)).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("confirm-revoke")).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("revoke-button")).toBeVisible();
  await expect(page.getByTestId("confirm-revoke")).toHaveCount(0);
});
