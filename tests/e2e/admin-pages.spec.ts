// The admin's other pages, each through its main action, as a signed-in owner.
import { readFileSync } from "node:fs";
import { expect, test } from "./judged-test";
import { inbox } from "./sandbox";
import { storageState } from "./roles";

test.use({ storageState: storageState("admin") });

const run = () => Date.now().toString(36);

test("creates a product and attaches a repository picked from the account's own", async ({ page }) => {
  const slug = `picked-${run()}`;
  await page.goto("/admin/products");
  await page.getByLabel("Name", { exact: true }).fill(`Picked ${slug}`);
  await page.getByLabel("Slug").fill(slug);
  await page.getByRole("button", { name: "Create product" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Created Picked ${slug}.` })).toBeVisible();

  const attach = page.getByRole("form", { name: `Attach a repository to Picked ${slug}` });
  const picker = attach.getByLabel(/^Repository in /);
  // Repositories of the demo product are listed but cannot be picked twice.
  await expect(picker.locator("option", { hasText: "acme/analytics-server (in Acme Analytics)" })).toBeDisabled();
  await picker.selectOption("acme/reporting");
  await attach.getByRole("button", { name: "Attach repository" }).click();
  await expect(attach.getByRole("status")).toHaveText("Attached acme/reporting.");
  await page.reload();
  await expect(page.getByRole("table", { name: `Repositories of Picked ${slug}` })).toContainText("acme/reporting");

  // The terms (grace, trial length, renewal link) can be changed after creation; the renewal
  // link takes only https addresses.
  const terms = page.getByRole("form", { name: `Terms of Picked ${slug}` });
  await terms.getByLabel("Renewal link").fill("javascript:alert(1)");
  await terms.getByRole("button", { name: "Save terms" }).click();
  await expect(terms.getByText("The renewal link must be a full https:// address").first()).toBeVisible();
  await terms.getByLabel("Renewal link").fill("https://store.example.com/picked");
  await terms.getByLabel("Trial length (days)").fill("30");
  await terms.getByRole("button", { name: "Save terms" }).click();
  await expect(terms.getByRole("status")).toHaveText("Terms saved.");
  await page.reload();
  const saved = page.getByRole("form", { name: `Terms of Picked ${slug}` });
  await expect(saved.getByLabel("Renewal link")).toHaveValue("https://store.example.com/picked");
  await expect(saved.getByLabel("Trial length (days)")).toHaveValue("30");

  // A Stripe price sells the product; a malformed one is refused.
  const prices = page.getByRole("form", { name: `Add a Stripe price to Picked ${slug}` });
  await prices.getByLabel("Stripe price").fill("prod_123");
  await prices.getByRole("button", { name: "Add price" }).click();
  await expect(prices.getByRole("alert")).toContainText("A Stripe price id looks like price_");
  await prices.getByLabel("Stripe price").fill(`price_${slug.replace(/\W/g, "")}`);
  await prices.getByRole("button", { name: "Add price" }).click();
  await expect(prices.getByRole("status")).toContainText("now grant this product");
  await expect(page.getByRole("list", { name: `Stripe prices of Picked ${slug}` })).toContainText(`price_${slug.replace(/\W/g, "")}`);
});

test("invites a read-only team member by email, then removes them", async ({ page }) => {
  const email = `teammate-${run()}@vendor.example`;
  await page.goto("/admin/team");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("VENDOR_VIEWER");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Invited ${email}.` })).toBeVisible();
  await expect.poll(async () => (await inbox(email)).length).toBe(1);
  expect((await inbox(email))[0]!.text).toMatch(/\/login\/link\?token=/);

  const row = page.getByRole("row", { name: new RegExp(email) });
  await expect(row).toContainText("Invited, not signed in yet");
  await row.getByRole("button", { name: `Remove ${email}` }).click();
  await row.getByRole("button", { name: "Yes, remove" }).click();
  await expect(page.getByRole("row", { name: new RegExp(email) })).toHaveCount(0);
});

test("creates an API key shown once and revokes it; the audit log finds both and exports them as CSV", async ({ page }) => {
  await page.goto("/admin/api-keys");
  const label = `ci-${run()}`;
  await page.getByLabel("Label").fill(label);
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("new-api-key")).toContainText(/pgk_/);
  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  const row = page.getByRole("row", { name: new RegExp(label) });
  await row.getByRole("button", { name: `Revoke ${label}` }).click();
  await row.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(row).toContainText("revoked");

  await page.goto("/admin/audit");
  await page.getByLabel("Action starts with").fill("api_key.");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/action=api_key\./);
  const events = page.getByRole("table", { name: "Audit events" });
  await expect(events.locator("tbody tr").first()).toContainText("api_key.revoked");
  await expect(events).toContainText("api_key.created");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = readFileSync((await (await download).path())!, "utf8");
  const [header, ...lines] = file.trim().split("\r\n");
  expect(header).toContain("action");
  expect(lines.some((line) => line.includes(",api_key.revoked,"))).toBe(true);
  for (const line of lines) expect(line).toMatch(/,api_key\.(created|revoked),/);
});
