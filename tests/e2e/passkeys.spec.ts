// Passkeys in the browser (issue 19, points 1 and 2), with Chromium's virtual authenticator: a
// customer user adds a passkey on the security page, signs in with password + passkey, then with
// the passkey alone. axe checks the pages that changed.
import AxeBuilder from "@axe-core/playwright";
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { hashPassword } from "@/lib/auth/password";
import { expect, test, type Page } from "./judged-test";
import { sandbox } from "./sandbox";

async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

async function signInWithPassword(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
}

/** A platform authenticator that keeps discoverable credentials and verifies its user (as Touch ID would). */
async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

test("adds a passkey, then signs in with password + passkey and with the passkey alone", async ({ page }) => {
  const run = Date.now().toString(36);
  const email = `passkey-${run}@customer.example`;
  const password = randomBytes(12).toString("base64url");
  const client = new pg.Client({ connectionString: sandbox().databaseUrl });
  await client.connect();
  try {
    const customerId = randomUUID();
    await client.query(`INSERT INTO "Customer" (id, name, "updatedAt") VALUES ($1, $2, now())`, [customerId, `Passkey Customer ${run}`]);
    await client.query(`INSERT INTO "User" (id, email, role, "customerId", "passwordHash", "updatedAt") VALUES ($1, $2, 'CUSTOMER_OWNER', $3, $4, now())`, [
      randomUUID(),
      email,
      customerId,
      await hashPassword(password),
    ]);
  } finally {
    await client.end();
  }
  const { cdp, authenticatorId } = await virtualAuthenticator(page);

  await signInWithPassword(page, email, password);
  await expect(page).toHaveURL(/\/portal$/);
  await page.getByRole("link", { name: "Security" }).click();
  await expect(page).toHaveURL(/\/account\/security$/);
  await page.getByTestId("passkey-name").fill("Virtual key");
  await page.getByTestId("passkey-add").click();
  await expect(page.getByTestId("passkey-list")).toContainText("Virtual key");
  expect(await violations(page)).toEqual([]);
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]!.isResidentCredential).toBe(true);

  // Password first, then the passkey as the second step.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  expect(await violations(page)).toEqual([]);
  await signInWithPassword(page, email, password);
  await expect(page).toHaveURL(/\/login\/second-factor$/);
  await page.goto("/portal");
  await expect(page).toHaveURL(/\/login\/second-factor$/);
  expect(await violations(page)).toEqual([]);
  await page.getByTestId("mfa-passkey").click();
  await expect(page).toHaveURL(/\/portal$/);

  // The passkey alone.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByTestId("login-passkey").click();
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/account/security");
  await expect(page.getByTestId("passkey-list")).toContainText("last used");
});
