// The customer's own controls in a real browser: key rotation with an overlap, pulling with the
// customer's own AWS account, and what one customer can reach of another's by URL, form and API.
import { expect, test, type Page } from "./judged-test";
import { grantOnAdminPage, signInAsAdmin, signInFromWelcomeEmail } from "./purchase";
import { awsCliLogin, deliverPullToTrail, sandbox } from "./sandbox";
import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { customerAccountCredentials } from "../support/aws-oracle/oracle-proxy";

const newEmail = (label: string) => `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

async function newCustomer(page: Page, browser: Parameters<typeof signInFromWelcomeEmail>[0], label: string) {
  const email = newEmail(label);
  await grantOnAdminPage(page, email);
  const entitlementPath = new URL(page.url()).pathname;
  return { email, entitlementPath, ...(await signInFromWelcomeEmail(browser, email)) };
}

async function revealCurrentKey(portal: Page) {
  const accessKeyId = (await portal.getByTestId("access-key-id").innerText()).trim();
  await portal.getByTestId("reveal-secret").click();
  const secretAccessKey = (await portal.getByTestId("secret-access-key").innerText()).trim();
  return { accessKeyId, secretAccessKey };
}

test.beforeEach(async ({ page }) => {
  await signInAsAdmin(page);
});

test("rotation with an overlap: both keys work until the customer retires the old one", async ({ page, browser }) => {
  const { context, portal } = await newCustomer(page, browser, "rotate");
  // The product shows its countdown and, a month from the end, the vendor's renewal link.
  await expect(portal.getByTestId("days-left")).toHaveText(/^(30|31) days left$/);
  await expect(portal.getByTestId("renew-link")).toHaveAttribute("href", "https://store.acme.example/renew/analytics");
  const oldKey = await revealCurrentKey(portal);
  await portal.reload();

  await portal.getByTestId("new-key-button").click();
  await expect(portal.getByText(/keeps working beside it for 7 days/)).toBeVisible();
  await portal.getByTestId("confirm-new-key").click();
  await expect(portal.getByTestId("access-key-id")).not.toHaveText(oldKey.accessKeyId);
  const newKey = await revealCurrentKey(portal);
  expect(newKey.accessKeyId).not.toBe(oldKey.accessKeyId);

  // Both keys log in with the AWS CLI; the old one shows when it stops and when it was last used.
  expect(awsCliLogin(oldKey).status).toBe(0);
  expect(awsCliLogin(newKey).status).toBe(0);
  await portal.reload();
  const oldRow = portal.getByTestId(`key-usage-${oldKey.accessKeyId}`);
  await expect(oldRow).toContainText(/Previous key, works until/);
  await expect(oldRow.getByRole("cell").nth(2)).toHaveText(/Never|\d/);
  await expect(portal.getByTestId(`key-usage-${newKey.accessKeyId}`)).toContainText("Current");
  // A third key would pass AWS's limit of two: rotating again waits for the retirement.
  await expect(portal.getByTestId("rotation-blocked")).toBeVisible();

  await portal.getByTestId(`retire-key-${oldKey.accessKeyId}`).click();
  await portal.getByTestId("confirm-retire-key").click();
  await expect(portal.getByTestId(`key-usage-${oldKey.accessKeyId}`)).toHaveCount(0);
  expect(awsCliLogin(oldKey).status).not.toBe(0);
  expect(awsCliLogin(newKey).status).toBe(0);
  await expect(portal.getByTestId("new-key-button")).toBeVisible();
  await context.close();
});

test("recent pulls: a pull CloudTrail logged shows on the customer's page once the worker has read it", async ({ page, browser }) => {
  // The worker reads log files in its minute sweep.
  test.setTimeout(240_000);
  const { context, portal } = await newCustomer(page, browser, "pulls");
  const userName = (await page.getByTestId("iam-user-arn").innerText()).trim().split("/").pop()!;
  const accessKeyId = (await portal.getByTestId("access-key-id").innerText()).trim();
  await expect(portal.getByRole("table", { name: "Your latest image pulls" })).toContainText("No pulls recorded yet");

  await deliverPullToTrail({ userName, accessKeyId, repository: "acme/analytics-server", tag: "2.0.0" });
  // The worker's minute sweep reads new log files.
  await expect(async () => {
    await portal.reload();
    await expect(portal.getByTestId("recent-pull")).toContainText("acme/analytics-server:2.0.0", { timeout: 1_000 });
  }).toPass({ timeout: 150_000, intervals: [5_000] });
  await expect(portal.getByTestId("recent-pull")).toContainText(accessKeyId);
  await context.close();
});

test("a customer's own AWS account: registered, shown with cross-account instructions, and usable without keys", async ({ page, browser }) => {
  const { context, portal, entitlementPath, email } = await newCustomer(page, browser, "byo");
  const accountId = String(200_000_000_000 + Math.floor(Math.random() * 99_999_999_999));
  const { aws } = sandbox();
  // The customer's account exists (ECR refuses a policy naming one that does not), and its owner
  // has credentials of it, to prove it is theirs.
  const credentials = await customerAccountCredentials(aws.endpoint!, accountId);

  await portal.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "AWS accounts" }).click();
  await expect(portal.getByTestId("key-access-state")).toHaveText(/^On/);
  await portal.getByLabel("AWS account id").fill("12345");
  await portal.getByTestId("register-account").click();
  await expect(portal.locator("#field-accountId-error")).toHaveText("An AWS account id is 12 digits, like 123456789012");

  await portal.getByLabel("AWS account id").fill(`${accountId.slice(0, 4)}-${accountId.slice(4, 8)}-${accountId.slice(8)}`);
  await portal.getByTestId("register-account").click();
  await expect(portal.getByText(`Account ${accountId} is registered. Prove it is yours`)).toBeVisible();
  await expect(portal.getByTestId(`account-${accountId}-unproven`)).toBeVisible();
  await expect(portal.getByTestId(`account-${accountId}`)).toContainText("No active product");

  // Proven with the command the page shows, run with credentials of the account.
  const command = await portal.getByTestId(`proof-command-${accountId}`).innerText();
  const dir = await mkdtemp(path.join(tmpdir(), "proof-"));
  const env = { PATH: process.env.PATH, HOME: dir, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_SESSION_TOKEN: credentials.sessionToken } as unknown as NodeJS.ProcessEnv;
  await promisify(execFile)("bash", ["-c", command], { cwd: dir, env });
  await portal.getByTestId(`proof-input-${accountId}`).fill(await readFile(path.join(dir, "proof.json"), "utf8"));
  await portal.getByTestId(`prove-account-${accountId}`).click();
  // Its proof section goes with its proof; the table says it can pull.
  await expect(portal.getByTestId(`account-${accountId}-unproven`)).toHaveCount(0);
  await expect(portal.getByTestId(`account-${accountId}`)).toContainText("Can pull");

  // Downloads: the cross-account instructions come first and name the vendor's registry.
  await portal.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Downloads" }).click();
  await expect(portal.getByTestId("instruction-own-account-policy")).toContainText(`arn:aws:ecr:${aws.region}:${aws.accountId}:repository/acme/analytics-server`);
  await expect(portal.getByTestId("instruction-own-account-login")).toContainText(
    `aws ecr get-login-password --region ${aws.region} | docker login --username AWS --password-stdin ${aws.accountId}.dkr.ecr.${aws.region}.amazonaws.com`,
  );
  await expect(portal.getByText(`grants your account ${accountId}`)).toBeVisible();

  // The vendor sees the account on the customer's page.
  await page.goto(entitlementPath);
  await page.locator('a[href^="/admin/customers/"]').first().click();
  await expect(page.getByTestId(`customer-account-${accountId}`)).toContainText("Can pull");
  const customerId = new URL(page.url()).pathname.split("/").pop()!;
  await page.goto(`/admin/customers?q=${encodeURIComponent(email)}`);
  await expect(page.getByTestId(`cross-account-${customerId}`)).toHaveText("Cross-account + key");

  // Keys off: only the account pulls; the page says so and shows no key.
  await portal.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "AWS accounts" }).click();
  await portal.getByTestId("keys-off").click();
  await portal.getByTestId("confirm-keys-off").click();
  await expect(portal.getByTestId("key-access-state")).toHaveText(/^Off/);
  // The only way left to pull cannot be removed.
  await portal.getByTestId(`remove-account-${accountId}`).click();
  await portal.getByRole("button", { name: "Yes, remove this account" }).click();
  await expect(portal.getByText(/This is your only way to pull/)).toBeVisible();
  await portal.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Downloads" }).click();
  await expect(portal.getByTestId("own-account-only")).toContainText(accountId);
  await expect(portal.getByTestId("access-key-id")).toHaveCount(0);
  await expect(portal.getByTestId("instruction-docker-login")).toHaveCount(0);

  // The vendor's access check answers from AWS: no IAM user, yet the customer's account can pull.
  await page.goto(entitlementPath);
  await page.getByRole("link", { name: /Check in AWS whether this customer can pull/ }).click();
  await expect(page.getByTestId("access-answer")).toContainText("can pull");
  await expect(page.getByTestId(`account-access-${accountId}`).first()).toContainText("Allowed");

  // Keys on again: a new key to reveal.
  await portal.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "AWS accounts" }).click();
  await portal.getByTestId("keys-on").click();
  await portal.getByTestId("confirm-keys-on").click();
  await expect(portal.getByTestId("key-access-state")).toHaveText(/^On/);
  await portal.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Downloads" }).click();
  await expect(portal.getByTestId("reveal-secret")).toBeVisible();
  await context.close();
});

test("customer A reaches nothing of customer B's by URL, form or API", async ({ page, browser }) => {
  const b = await newCustomer(page, browser, "victim");
  const bKeyId = (await b.portal.getByTestId("access-key-id").innerText()).trim();
  const customerB = await page.locator('a[href^="/admin/customers/"]').first().getAttribute("href");
  const a = await newCustomer(page, browser, "intruder");

  // By URL: B's entitlement and customer pages, and the admin API, refuse A.
  for (const path of [b.entitlementPath, customerB!, "/admin/customers", "/admin/audit/export"]) {
    const response = await a.portal.goto(path);
    expect(response?.status(), path).toBe(403);
  }
  // The API takes vendor API keys only: A's session cookie reads nothing of B's there either.
  const bEntitlementId = b.entitlementPath.split("/").pop()!;
  for (const path of [`/api/v1/entitlements/${bEntitlementId}`, "/api/v1/products"]) {
    expect((await a.portal.request.get(path)).status(), path).toBe(401);
  }

  // By form: A's own reveal and retire forms, pointed at B's key, are refused and reveal nothing.
  await a.portal.goto("/portal");
  await a.portal.locator('input[name="accessKeyId"]').evaluate((input, id) => ((input as HTMLInputElement).value = id), bKeyId);
  await a.portal.getByTestId("reveal-secret").click();
  await expect(a.portal.getByText("Access key not found")).toBeVisible();
  await expect(a.portal.getByTestId("secret-access-key")).toHaveCount(0);

  // B's secret is still there for B, unrevealed.
  await b.portal.reload();
  await expect(b.portal.getByTestId("reveal-secret")).toBeVisible();
  await expect(b.portal.getByTestId("access-key-id")).toHaveText(bKeyId);
  // Nothing of B appears anywhere on A's pages.
  for (const path of ["/portal", "/portal/accounts", "/portal/team"]) {
    await a.portal.goto(path);
    const html = await a.portal.content();
    expect(html).not.toContain(bKeyId);
    expect(html).not.toContain(b.email);
  }
  await a.context.close();
  await b.context.close();
});
