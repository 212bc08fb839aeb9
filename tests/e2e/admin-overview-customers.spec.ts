// The overview's counts and what needs attention, and a customer's users managed from its page.
import { expect, test } from "./judged-test";
import { inbox } from "./sandbox";
import { seededRows, storageState } from "./roles";

test.use({ storageState: storageState("admin") });

test("the overview counts entitlements, links each count to its list and leads from a failure to the fix", async ({ page }) => {
  await page.goto("/admin");
  const tiles = page.getByRole("region", { name: "Entitlements at a glance" });
  for (const label of ["Active", "Provisioning", "Failed", "Expiring in 7 days", "Expiring in 30 days", "Expired"]) {
    await expect(tiles.getByRole("link", { name: label, exact: true })).toBeVisible();
  }
  // The seeded entitlement failed to provision and has no job left: counted, listed, and linked.
  const failed = Number(await tiles.getByRole("definition").nth(2).innerText());
  expect(failed).toBeGreaterThanOrEqual(1);
  await expect(page.getByText("Active entitlements, last 12 weeks").first()).toBeVisible();
  await expect(page.getByTestId("attention-list")).toBeVisible();
  await expect(page.getByRole("table", { name: "Entitlements whose provisioning failed" })).toContainText("Seeded provisioning failure");

  await tiles.getByRole("link", { name: "Failed", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/entitlements\?status=failed/);
  await expect(page.getByRole("table", { name: "Entitlements" }).getByRole("row")).not.toHaveCount(1);
});

test("invites a customer's user from the customer's page, then removes them", async ({ page }) => {
  const email = `colleague-${Date.now()}@customer.example`;
  await page.goto(`/admin/customers/${seededRows().customerId}`);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Invited ${email}.` })).toBeVisible();
  await expect.poll(async () => (await inbox(email)).length).toBe(1);

  const users = page.getByRole("table", { name: "Users of this customer" });
  const row = users.getByRole("row", { name: new RegExp(email) });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: `Remove ${email}` }).click();
  await row.getByRole("button", { name: "Yes, remove" }).click();
  await expect(users.getByRole("row", { name: new RegExp(email) })).toHaveCount(0);
});
