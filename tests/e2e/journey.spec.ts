import { readFileSync } from "node:fs";
import { expect, test } from "./judged-test";
import { grantOnAdminPage, signInAsAdmin, signInFromWelcomeEmail } from "./purchase";
import { awsCliLogin, sandbox } from "./sandbox";

test("purchase to pull access to revocation, through the admin and the customer's pages", async ({ page, browser }) => {
  const customerEmail = `buyer-${Date.now()}@example.com`;

  // The vendor admin grants an entitlement.
  await signInAsAdmin(page);
  await grantOnAdminPage(page, customerEmail);

  await expect(page.getByTestId("iam-user-arn")).toContainText(`arn:aws:iam::${sandbox().aws.accountId}:user/pullgate/`);
  const entitlementUrl = page.url();
  await page.goto("/admin/engine");
  await expect(page.getByRole("heading", { name: "Drift audit" })).toBeVisible();

  // The customer signs in with the link from the welcome email.
  const { context: customer, portal } = await signInFromWelcomeEmail(browser, customerEmail);

  // The secret is shown exactly once.
  const accessKeyId = (await portal.getByTestId("access-key-id").first().innerText()).trim();
  await portal.getByTestId("reveal-secret").click();
  const secretAccessKey = (await portal.getByTestId("secret-access-key").innerText()).trim();
  expect(secretAccessKey).toMatch(/^\S{20,}$/);
  // The same secret, saved as a credentials-file profile without another request.
  const download = portal.waitForEvent("download");
  await portal.getByTestId("download-credentials-file").click();
  const profile = readFileSync((await (await download).path())!, "utf8");
  expect(profile).toBe(`[acme-analytics]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`);
  await portal.reload();
  await expect(portal.getByTestId("secret-access-key")).toHaveCount(0);
  await expect(portal.getByTestId("reveal-secret")).toHaveCount(0);

  // The page's instructions name this account's registry and region, and the key logs in.
  const { aws } = sandbox();
  await expect(portal.getByTestId("instruction-docker-login")).toContainText(
    `aws ecr get-login-password --region ${aws.region}`,
  );
  await expect(portal.getByTestId("instruction-docker-login")).toContainText(
    `docker login --username AWS --password-stdin ${aws.accountId}.dkr.ecr.${aws.region}.amazonaws.com`,
  );
  await expect(portal.getByTestId("instruction-docker-pull")).toContainText(
    `docker pull ${aws.accountId}.dkr.ecr.${aws.region}.amazonaws.com/acme/analytics-server:`,
  );
  const login = awsCliLogin({ accessKeyId, secretAccessKey });
  expect(login.stderr).toBe("");
  expect(login.status).toBe(0);
  expect(login.stdout.length).toBeGreaterThan(10);

  // A customer is refused the admin area, including this very entitlement.
  for (const path of ["/admin", new URL(entitlementUrl).pathname]) {
    const refused = await portal.goto(path);
    expect(refused?.status()).toBe(403);
    await expect(portal.getByRole("heading", { level: 1 })).toHaveText(/do not have access/i);
  }
  await portal.goto("/portal");

  // The admin revokes; access is gone for the key and on the customer's page.
  await page.goto(entitlementUrl);
  await page.getByTestId("revoke-button").click();
  await page.getByTestId("confirm-revoke").click();
  await expect(page.getByTestId("entitlement-state")).toHaveText(/revoked/i);
  const denied = awsCliLogin({ accessKeyId, secretAccessKey });
  expect(denied.status).not.toBe(0);
  expect(denied.stderr).toMatch(/InvalidClientTokenId|UnrecognizedClient|security token/i);
  await portal.reload();
  await expect(portal.getByTestId("product-state").first()).toHaveText(/revoked/i);
  await customer.close();
});

test("admin pages refuse customers and signed-out visitors", async ({ page, request }) => {
  const anonymous = await request.get("/admin", { maxRedirects: 0 });
  expect([302, 307]).toContain(anonymous.status());
  expect(anonymous.headers()["location"]).toMatch(/\/login/);

  const api = await request.get("/api/v1/products");
  expect(api.status()).toBe(401);
  const withKey = await request.get("/api/v1/products", { headers: { authorization: `Bearer ${sandbox().apiKey}` } });
  expect(withKey.status()).toBe(200);
  expect((await withKey.json()).data[0].slug).toBe("acme-analytics");

  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login/);
});
