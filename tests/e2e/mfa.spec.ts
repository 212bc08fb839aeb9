// TOTP in the browser (issue 19, point 1): a customer user enrols an authenticator app from the
// security page, signs out, and signs in again with password + code. axe checks both new pages.
import AxeBuilder from "@axe-core/playwright";
import { randomBytes, randomUUID } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import pg from "pg";
import { hashPassword } from "@/lib/auth/password";
import { expect, test, type Page } from "./judged-test";
import { sandbox } from "./sandbox";

const code = (secret: string, timestamp: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp });

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

test("enrols TOTP, then signs in with password and a code", async ({ page }) => {
  const run = Date.now().toString(36);
  const email = `mfa-${run}@customer.example`;
  const password = randomBytes(12).toString("base64url");
  const client = new pg.Client({ connectionString: sandbox().databaseUrl });
  await client.connect();
  try {
    const customerId = randomUUID();
    await client.query(`INSERT INTO "Customer" (id, name, "updatedAt") VALUES ($1, $2, now())`, [customerId, `MFA Customer ${run}`]);
    await client.query(`INSERT INTO "User" (id, email, role, "customerId", "passwordHash", "updatedAt") VALUES ($1, $2, 'CUSTOMER_OWNER', $3, $4, now())`, [
      randomUUID(),
      email,
      customerId,
      await hashPassword(password),
    ]);
  } finally {
    await client.end();
  }

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
