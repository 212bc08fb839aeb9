// TOTP in the browser (issue 19, point 1): a customer user enrols an authenticator app from the
// security page, signs out, and signs in again with password + code. axe checks both new pages.
import { Secret, TOTP } from "otpauth";
import { expect, test } from "./judged-test";
import { axeViolations as violations, personWithPassword, signInWithPassword } from "./people";

const code = (secret: string, timestamp: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp });

test("enrols TOTP, then signs in with password and a code", async ({ page }) => {
  const { email, password } = await personWithPassword("mfa", "CUSTOMER_OWNER");

  await signInWithPassword(page, email, password);
  await expect(page).toHaveURL(/\/portal$/);
  await page.getByRole("link", { name: "Security" }).click();
  await expect(page).toHaveURL(/\/account\/security$/);
  const secret = (await page.getByTestId("mfa-secret").textContent())!.trim();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  const enrolledAt = Date.now();
  await page.getByTestId("mfa-enrol-code").fill(code(secret, enrolledAt));
  await page.getByTestId("mfa-enrol-submit").click();
  await expect(page.getByTestId("mfa-recovery-codes").getByRole("listitem")).toHaveCount(10);
  expect(await violations(page)).toEqual([]);
  await page.getByTestId("mfa-continue").click();
  await expect(page).toHaveURL(/\/portal$/);

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInWithPassword(page, email, password);
  await expect(page).toHaveURL(/\/login\/second-factor$/);
  // Signed in with the password only, the portal is not open yet.
  await page.goto("/portal");
  await expect(page).toHaveURL(/\/login\/second-factor$/);
  expect(await violations(page)).toEqual([]);
  // The enrolment's code is spent: the next step's code (inside the ±1 window) opens the portal.
  await page.getByTestId("mfa-code").fill(code(secret, enrolledAt + 30_000));
  await page.getByTestId("mfa-submit").click();
  await expect(page).toHaveURL(/\/portal$/);
});
