// The steps every customer journey starts with: a vendor admin grants a product on the admin
// page, and the customer signs in with the link of the welcome email it then receives.
import { expect, type Browser, type Page } from "@playwright/test";
import { signInWithPassword } from "./people";
import { inbox, sandbox } from "./sandbox";

const DAY = 86_400_000;

export async function signInAsAdmin(page: Page) {
  const { admin } = sandbox();
  await signInWithPassword(page, admin.email, admin.password);
  await expect(page).toHaveURL(/\/admin/);
}

/**
 * Grants the sandbox's product to a customer by email, for 30 days (a trial: for the product's
 * trial length); the page ends on the new, active entitlement.
 */
export async function grantOnAdminPage(page: Page, customerEmail: string, { trial = false } = {}) {
  await page.goto("/admin/entitlements");
  const form = page.getByTestId("grant-form");
  await form.getByLabel(/customer email/i).fill(customerEmail);
  await form.getByLabel(/^product/i).selectOption("acme-analytics");
  if (trial) await form.getByLabel("Kind").selectOption("TRIAL");
  else await form.getByLabel(/expir/i).fill(new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10));
  await form.getByRole("button", { name: /grant/i }).click();
  await expect(page).toHaveURL(/\/admin\/entitlements\/[a-z0-9]+$/);
  await expect(page.getByTestId("entitlement-state")).toHaveText(/active/i);
}

/** Opens the welcome email's sign-in link in a browser context of the customer's own. */
export async function signInFromWelcomeEmail(browser: Browser, customerEmail: string) {
  const context = await browser.newContext();
  const portal = await context.newPage();
  // The welcome is the mail with a sign-in link (an expiry notice may follow it).
  const signInLink = /https?:\/\/\S+\/login\/link\?token=\S+/;
  await expect.poll(async () => (await inbox(customerEmail)).some((m) => signInLink.test(m.text))).toBe(true);
  const link = signInLink.exec((await inbox(customerEmail)).find((m) => signInLink.test(m.text))!.text)![0];
  await portal.goto(link);
  await portal.getByTestId("link-signin").click();
  await expect(portal).toHaveURL(/\/portal/);
  await expect(portal.getByTestId("product-state").first()).toHaveText(/active/i);
  return { context, portal };
}
