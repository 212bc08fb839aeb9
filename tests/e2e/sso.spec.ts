// Single sign-on in the browser (issue 19, point 2), against a real OpenID provider on loopback
// (oidc-provider): the vendor owner sets up the team's provider and switches the team to SSO only
// (an owner keeps the break-glass path); a customer owner sets up its organisation's, the vendor
// verifies the domain, and its people sign in as members. A wrong audience, an expired ID token and
// a provider turned off are each told plainly on the sign-in page. axe checks the changed pages.
import { startTestIdentityProvider, type TestIdentityProvider } from "../support/oidc-identity-provider";
import type { Browser } from "@playwright/test";
import { expect, test, type Page } from "./judged-test";
import { axeViolations as violations, personWithPassword, signInWithPassword, withSandboxDatabase } from "./people";
import { seededRows, storageState } from "./roles";
import { sandbox } from "./sandbox";

const run = Date.now().toString(36);
const vendorDomain = `staff-${run}.example`;
const customerDomain = `people-${run}.example`;
let idp: TestIdentityProvider;

test.beforeAll(async ({}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  idp = await startTestIdentityProvider({ redirectUris: [new URL("/api/sso/callback", baseURL).toString()] });
});
test.afterAll(async () => {
  // Later specs sign staff in with passwords: SSO-only and the providers go with this file.
  await withSandboxDatabase((db) => db.query(`DELETE FROM "SsoConnection"; UPDATE "VendorSettings" SET "ssoOnly" = false`));
  await idp.stop();
});

/** Fills and saves the SSO form on the page it is on. */
async function saveProvider(page: Page, { domains, role, enabled = true }: { domains: string; role?: string; enabled?: boolean }) {
  const form = page.getByTestId("sso-form");
  await form.getByLabel("Issuer").fill(idp.issuer);
  await form.getByLabel("Client ID").fill(idp.clientId);
  await form.getByLabel("Client secret").fill(idp.clientSecret);
  await form.getByLabel("Allowed email domains").fill(domains);
  if (role) await form.getByLabel("Default role for new members").selectOption(role);
  await form.getByRole("checkbox").setChecked(enabled);
  await form.getByTestId("sso-save").click();
}

/** A fresh browser (no session) signing in through the provider from the sign-in page. */
async function signInWithSso(browser: Browser, email: string, { team = false } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  idp.signInAs(email);
  await page.goto("/login");
  if (team) await page.getByTestId("sso-team").click();
  else {
    await page.getByTestId("sso-email").fill(email);
    await page.getByTestId("sso-submit").click();
  }
  return page;
}

/** A fresh browser signing in with a password. */
async function passwordSignIn(browser: Browser, email: string, password: string) {
  const page = await (await browser.newContext()).newPage();
  await signInWithPassword(page, email, password);
  return page;
}

test.describe.serial("single sign-on", () => {
  test("the vendor owner sets up the team's provider, a new staff member joins through it, and the team goes SSO only", async ({ browser }) => {
    const owner = await (await browser.newContext({ storageState: storageState("admin") })).newPage();
    await owner.goto("/admin/team");
    await expect(owner.getByTestId("sso-only-toggle")).toBeDisabled();
    await saveProvider(owner, { domains: vendorDomain, role: "VENDOR_ADMIN" });
    await expect(owner.getByTestId("sso-form").getByLabel("Client secret")).toHaveAttribute("placeholder", /stored/);
    expect(await violations(owner)).toEqual([]);

    // Someone new to the team, by the team's button: in at once as an admin.
    const staff = await signInWithSso(browser, `new.staff@${vendorDomain}`, { team: true });
    await expect(staff).toHaveURL(/\/admin$/);
    expect(await withSandboxDatabase(async (db) => (await db.query(`SELECT role, "lastSignInMethod" FROM "User" WHERE email = $1`, [`new.staff@${vendorDomain}`])).rows)).toEqual([
      { role: "VENDOR_ADMIN", lastSignInMethod: "sso" },
    ]);

    // SSO works now: the owner turns the team's other sign-in methods off.
    await owner.reload();
    await owner.getByTestId("sso-only-toggle").click();
    await expect(owner.getByTestId("sso-only-toggle")).toBeEnabled();
    expect(await withSandboxDatabase(async (db) => (await db.query(`SELECT "ssoOnly" FROM "VendorSettings"`)).rows)).toEqual([{ ssoOnly: true }]);

    // An admin with a password is refused it; the owner keeps it (break-glass).
    const admin = await personWithPassword("pw-admin", "VENDOR_ADMIN");
    const refused = await passwordSignIn(browser, admin.email, admin.password);
    await expect(refused.getByText("That email and password do not match an account")).toBeVisible();
    await expect(refused).toHaveURL(/\/login/);
    const breakGlass = await passwordSignIn(browser, sandbox().admin.email, sandbox().admin.password);
    await expect(breakGlass).toHaveURL(/\/admin$/);

    // Turning the provider off turns SSO only off with it: nobody is left without a way in.
    await saveProvider(owner, { domains: vendorDomain, role: "VENDOR_ADMIN", enabled: false });
    await expect.poll(async () => withSandboxDatabase(async (db) => (await db.query(`SELECT "ssoOnly" FROM "VendorSettings"`)).rows[0]?.ssoOnly)).toBe(false);
    await expect(owner.getByTestId("sso-only-toggle")).toBeDisabled();
  });

  test("a customer organisation signs in through its own provider once the vendor verified its domain", async ({ browser }) => {
    const customerOwner = await (await browser.newContext({ storageState: storageState("customer") })).newPage();
    await customerOwner.goto("/portal/team");
    await saveProvider(customerOwner, { domains: customerDomain });
    await expect(customerOwner.getByText(customerDomain).first()).toBeVisible();
    expect(await violations(customerOwner)).toEqual([]);

    // Not verified yet: the sign-in page says no SSO is set up for the domain.
    const early = await signInWithSso(browser, `first@${customerDomain}`);
    await expect(early.getByTestId("sso-failure")).toContainText("No single sign-on is set up for this email domain");

    const vendor = await (await browser.newContext({ storageState: storageState("admin") })).newPage();
    await vendor.goto(`/admin/customers/${seededRows().customerId}`);
    await vendor.getByTestId(`sso-verify-${customerDomain}`).click();
    await expect(vendor.getByTestId(`sso-verify-${customerDomain}`)).toHaveCount(0);
    expect(await violations(vendor)).toEqual([]);

    const member = await signInWithSso(browser, `first@${customerDomain}`);
    await expect(member).toHaveURL(/\/portal$/);
    expect(await withSandboxDatabase(async (db) => (await db.query(`SELECT role, "customerId" FROM "User" WHERE email = $1`, [`first@${customerDomain}`])).rows)).toEqual([
      { role: "CUSTOMER_MEMBER", customerId: seededRows().customerId },
    ]);
  });

  test("tells plainly of an ID token for another audience, an expired one, and a provider turned off", async ({ browser }) => {
    idp.tamperNextIdToken((payload) => ({ ...payload, aud: "another-app" }));
    const audience = await signInWithSso(browser, `second@${customerDomain}`);
    await expect(audience).toHaveURL(/\/login\?sso=token-audience$/);
    await expect(audience.getByTestId("sso-failure")).toContainText("not issued to this portal");
    expect(await violations(audience)).toEqual([]);

    idp.tamperNextIdToken((payload) => ({ ...payload, exp: Math.floor(Date.now() / 1000) - 3600 }));
    const expired = await signInWithSso(browser, `second@${customerDomain}`);
    await expect(expired.getByTestId("sso-failure")).toContainText("ID token had expired");
    expect(await withSandboxDatabase(async (db) => (await db.query(`SELECT count(*)::int AS n FROM "User" WHERE email = $1`, [`second@${customerDomain}`])).rows[0].n)).toBe(0);

    const customerOwner = await (await browser.newContext({ storageState: storageState("customer") })).newPage();
    await customerOwner.goto("/portal/team");
    await saveProvider(customerOwner, { domains: customerDomain, enabled: false });
    await expect(customerOwner.getByTestId("sso-form").getByRole("checkbox")).not.toBeChecked();
    const off = await signInWithSso(browser, `first@${customerDomain}`);
    await expect(off.getByTestId("sso-failure")).toContainText("Single sign-on is turned off for this organisation");
  });
});
