// Access modes on the products page, as a signed-in vendor admin: which ways of pulling a product
// offers and how a new customer starts are saved and kept; a default that is not offered is refused
// and changes nothing; the page stays accessible with the form and its error shown.
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "./judged-test";
import { axeViolations, withSandboxDatabase } from "./people";
import { storageState } from "./roles";

test.use({ storageState: storageState("admin") });

const IAM = "IAM user access key";
const OWN = "Customer's own AWS account";
const TOKEN = "Pull token (short-lived registry credentials)";

/**
 * A product of its own, with no entitlements (changing its modes reconciles nobody), offering the
 * three modes these tests name and starting customers with an IAM user key.
 */
async function seedProduct() {
  const run = `${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;
  const id = randomUUID();
  const name = `Modes Product ${run}`;
  await withSandboxDatabase((db) =>
    db.query(
      `INSERT INTO "Product" (id, slug, name, "accessModes", "defaultAccessMode", "updatedAt")
       VALUES ($1, $2, $3, '{IAM_USER_KEY,OWN_ACCOUNT,BROKERED_TOKEN}', 'IAM_USER_KEY', now())`,
      [id, `modes-${run}`, name],
    ),
  );
  return { id, name };
}

const storedModes = (id: string) =>
  withSandboxDatabase(async (db) => {
    const { rows } = await db.query<{ modes: string[]; defaultMode: string }>(
      `SELECT "accessModes"::text[] AS modes, "defaultAccessMode"::text AS "defaultMode" FROM "Product" WHERE id = $1`,
      [id],
    );
    return rows[0];
  });

const modesForm = (page: Page, name: string) => page.getByRole("form", { name: `Access modes of ${name}` });

test("an admin offers pull tokens but no IAM user keys, and the choice is kept", async ({ page }) => {
  const product = await seedProduct();
  await page.goto("/admin/products");
  const form = modesForm(page, product.name);
  await expect(form.getByRole("group", { name: "Access modes" })).toBeVisible();
  // The form starts from what the product offers now.
  for (const label of [IAM, OWN, TOKEN]) await expect(form.getByLabel(label, { exact: true })).toBeChecked();
  const defaultMode = form.getByLabel("Default for new customers", { exact: true });
  await expect(defaultMode).toHaveValue("IAM_USER_KEY");
  await expect(form.getByText("Customers of a product without IAM user keys get no IAM user")).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);

  await form.getByLabel(IAM, { exact: true }).uncheck();
  await defaultMode.selectOption({ label: TOKEN });
  await form.getByRole("button", { name: "Save access modes" }).click();
  await expect(form.getByRole("status")).toHaveText("Access modes saved.");

  await page.reload();
  const saved = modesForm(page, product.name);
  await expect(saved.getByLabel(IAM, { exact: true })).not.toBeChecked();
  await expect(saved.getByLabel(OWN, { exact: true })).toBeChecked();
  await expect(saved.getByLabel(TOKEN, { exact: true })).toBeChecked();
  await expect(saved.getByLabel("Default for new customers", { exact: true })).toHaveValue("BROKERED_TOKEN");
  expect(await storedModes(product.id)).toEqual({ modes: ["BROKERED_TOKEN", "OWN_ACCOUNT"], defaultMode: "BROKERED_TOKEN" });
});

test("a default the product does not offer, or no mode at all, is refused and changes nothing", async ({ page }) => {
  const product = await seedProduct();
  await page.goto("/admin/products");
  const form = modesForm(page, product.name);
  const before = await storedModes(product.id);

  // Pull tokens chosen as the default, but not offered.
  await form.getByLabel(TOKEN, { exact: true }).uncheck();
  await form.getByLabel("Default for new customers", { exact: true }).selectOption("BROKERED_TOKEN");
  await form.getByRole("button", { name: "Save access modes" }).click();
  await expect(form.getByRole("alert")).toContainText("The default must be one of the modes offered");
  await expect(form.getByLabel("Default for new customers", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("Access modes saved.")).toHaveCount(0);
  // The error is shown accessibly too.
  expect(await axeViolations(page)).toEqual([]);

  // Nothing offered at all.
  for (const label of [IAM, OWN]) await form.getByLabel(label, { exact: true }).uncheck();
  await form.getByRole("button", { name: "Save access modes" }).click();
  await expect(form.getByRole("alert")).toContainText("Offer at least one way to pull");
  expect(await axeViolations(page)).toEqual([]);

  expect(await storedModes(product.id)).toEqual(before);
  await page.reload();
  const kept = modesForm(page, product.name);
  for (const label of [IAM, OWN, TOKEN]) await expect(kept.getByLabel(label, { exact: true })).toBeChecked();
  await expect(kept.getByLabel("Default for new customers", { exact: true })).toHaveValue("IAM_USER_KEY");
});
