// Bulk actions in a real browser: a selection from the entitlement table and a CSV of customers,
// worked through by the sandbox's job engine while the page shows progress and per-row results.
import { expect, test, type Page } from "./judged-test";
import { grantOnAdminPage, signInAsAdmin } from "./purchase";

const DAY = 86_400_000;

/** The operation's page refreshes itself until the engine is done; waits for its final counts. */
async function expectFinished(page: Page, counts: string) {
  await expect(page.getByRole("status").filter({ hasText: counts })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("bulk-progress")).toBeVisible();
}

test("extends a selection from the table, then revokes a CSV of customers, with progress and per-row results", async ({ page }) => {
  await signInAsAdmin(page);
  const tag = `bulk${Date.now()}`;
  const emails = [`${tag}-a@example.com`, `${tag}-b@example.com`];
  for (const email of emails) await grantOnAdminPage(page, email);

  // A selection: both entitlements found by the email's shared part, all selected on the page.
  await page.goto(`/admin/entitlements?q=${tag}`);
  await expect(page.getByRole("checkbox", { name: /^Select (?!all)/ })).toHaveCount(2);
  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await expect(page.getByText("2 selected")).toBeVisible();
  await page.getByRole("button", { name: "Bulk action on selected" }).click();
  await expect(page).toHaveURL(/\/admin\/bulk\?/);
  const form = page.getByTestId("bulk-create-form");
  await form.getByLabel("Action").selectOption("EXTEND");
  const newExpiry = new Date(Date.now() + 400 * DAY).toISOString().slice(0, 10);
  await form.getByLabel("New expiry date").fill(newExpiry);
  await form.getByRole("button", { name: "Start bulk action" }).click();
  await expect(page).toHaveURL(/\/admin\/bulk\/[a-z0-9]+$/);
  await expectFinished(page, "2 of 2 processed: 2 done, 0 failed, 0 skipped");
  const extended = page.getByRole("table", { name: "Results, one row per entitlement" });
  await expect(extended.getByText(`Extended to ${newExpiry}`)).toHaveCount(2);

  // A CSV: one known customer, one unknown email that fails its row only.
  await page.goto("/admin/bulk");
  await form.getByLabel("Action").selectOption("REVOKE");
  await form.getByLabel("Or a CSV of customers").setInputFiles({
    name: "customers.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`email\n${emails[0]}\nnobody-${tag}@example.com\n`),
  });
  await form.getByRole("button", { name: "Start bulk action" }).click();
  await expect(page).toHaveURL(/\/admin\/bulk\/[a-z0-9]+$/);
  await expectFinished(page, "2 of 2 processed: 1 done, 1 failed, 0 skipped");
  const revoked = page.getByRole("table", { name: "Results, one row per entitlement" });
  await expect(revoked).toContainText(/Revoked/);
  await expect(revoked).toContainText("No customer with this email");

  // The table shows the outcome: one revoked, the other still active with its new date.
  await page.goto(`/admin/entitlements?q=${tag}`);
  await expect(page.getByRole("row").filter({ hasText: emails[0]! })).toContainText(/revok/i);
  await expect(page.getByRole("row").filter({ hasText: emails[1]! })).toContainText(/active/i);
});

test("answers the access check for a customer and product from AWS", async ({ page }) => {
  await signInAsAdmin(page);
  const email = `check${Date.now()}@example.com`;
  await grantOnAdminPage(page, email);
  await page.goto("/admin/access-check");
  const form = page.getByRole("form", { name: "Access check" });
  await form.getByLabel("Customer").fill(email);
  await form.getByLabel("Product").selectOption({ label: "Acme Analytics (acme-analytics)" });
  await form.getByRole("button").click();
  await expect(page.getByTestId("access-answer")).toContainText("can pull Acme Analytics now");
  await expect(page.getByText("AWS and the desired state agree.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Pull access per repository" })).toContainText("PullgateCustomerPull");
});
