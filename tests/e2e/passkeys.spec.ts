// Passkeys in the browser (issue 19, points 1 and 2), with Chromium's virtual authenticator: a
// customer user adds a passkey on the security page, signs in with password + passkey, then with
// the passkey alone. axe checks the pages that changed.
import { expect, test, type Page } from "./judged-test";
import { axeViolations as violations, personWithPassword, signInWithPassword } from "./people";

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
  const { email, password } = await personWithPassword("passkey", "CUSTOMER_OWNER");
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
