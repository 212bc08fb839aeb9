// An admin runs one customer's access from the entitlement page: suspend and resume (same key),
// extend, rotate the key, re-provision, and ask AWS whether the customer can pull.
import { expect, test, type Page } from "./judged-test";
import { storageState } from "./roles";
import { grantOnAdminPage } from "./purchase";
import { sandbox } from "./sandbox";

test.use({ storageState: storageState("admin") });

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const liveRow = (page: Page) => page.getByTestId("live-repository-acme/analytics-server");
const liveKeys = (page: Page) => page.getByRole("table", { name: "Access keys in AWS" }).locator("tbody td:first-child");

test("suspends and resumes with the same key, extends, rotates the key and re-provisions", async ({ page }) => {
  await grantOnAdminPage(page, `actions-${Date.now()}@example.com`);
  const url = page.url();
  await expect(liveRow(page)).toContainText("matches");
  await expect(liveKeys(page)).toHaveText([/^AKIA/]);
  const key = (await liveKeys(page).innerText()).trim();

  await page.getByTestId("suspend-button").click();
  await page.getByLabel(/reason/i).fill("invoice overdue");
  await page.getByTestId("confirm-suspend").click();
  await expect(page.getByTestId("entitlement-state")).toHaveText(/suspended/i);
  await page.goto(url);
  await expect(liveRow(page).locator("td").nth(2)).toHaveText("no");
  await expect(liveKeys(page)).toHaveText([key]);

  await page.getByTestId("resume-button").click();
  await expect(page.getByTestId("entitlement-state")).toHaveText(/active/i);
  await page.goto(url);
  await expect(liveRow(page).locator("td").nth(2)).toHaveText("yes");
  await expect(liveKeys(page)).toHaveText([key]);

  const later = isoDay(Date.now() + 400 * DAY);
  await page.getByLabel("New expiry date").fill(later);
  await page.getByTestId("extend-submit").click();
  await expect(page.getByRole("status").filter({ hasText: "Extended." })).toBeVisible();
  // An earlier date is not an extension: the browser already refuses it (the server does too).
  await page.getByLabel("New expiry date").fill(isoDay(Date.now() + 2 * DAY));
  expect(await page.getByLabel("New expiry date").evaluate((input: HTMLInputElement) => input.validity.rangeUnderflow)).toBe(true);

  await page.getByTestId("rotate-key-button").click();
  await page.getByTestId("confirm-rotate-key").click();
  await expect(page.getByRole("status").filter({ hasText: /new one issued/ })).toBeVisible();
  await page.goto(url);
  await expect(liveKeys(page)).toHaveText([/^AKIA/]);
  await expect(liveKeys(page)).not.toHaveText([key]);

  await page.getByTestId("reprovision-button").click();
  await expect(page.getByRole("status").filter({ hasText: "AWS checked and converged." })).toBeVisible();

  const timeline = page.getByRole("table", { name: "Audit timeline of this entitlement" });
  for (const action of ["entitlement.suspended", "entitlement.resumed", "entitlement.extended", "provisioning.requested"]) {
    await expect(timeline).toContainText(action);
  }

  await page.getByRole("link", { name: /check in aws whether this customer can pull/i }).click();
  await expect(page).toHaveURL(/\/admin\/access-check\?customer=/);
  await expect(page.getByRole("main")).toContainText(/can pull Acme Analytics now/);
  await expect(page.getByRole("main")).toContainText(sandbox().aws.accountId);
});
