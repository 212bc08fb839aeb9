// Pull tokens in a real browser: an owner makes one, sees it once and copies it, then revokes it,
// and the credentials endpoint follows; a member of the same organisation only reads the list.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Page } from "./judged-test";
import { axeViolations as violations, personWithPassword, signInMemberBeside, signInWithPassword, withSandboxDatabase } from "./people";

async function openTokens(page: Page) {
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Pull tokens" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Pull tokens" })).toBeVisible();
}

const askForCredentials = (page: Page, token: string) =>
  page.request.post("/api/v1/registry/credentials", { headers: { authorization: `Bearer ${token}` }, data: {} });

test("an owner creates a pull token, copies it the one time it is shown, and revokes it; a member only reads", async ({ page, browser }) => {
  const owner = await personWithPassword("tokens", "CUSTOMER_OWNER");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await signInWithPassword(page, owner.email, owner.password);
  await expect(page).toHaveURL(/\/portal$/);
  await openTokens(page);
  await expect(page.getByRole("table", { name: "Your organisation's pull tokens" })).toContainText("No pull tokens yet.");
  // The set-up commands point at this portal's own helper download.
  await expect(page.getByTestId("instruction-pull-token-install")).toContainText(`${new URL(page.url()).origin}/downloads/docker-credential-pullgate`);
  expect(await violations(page)).toEqual([]);

  await page.getByLabel("Name", { exact: true }).fill("Production cluster");
  await page.getByTestId("create-pull-token").click();
  const revealed = page.getByTestId("new-pull-token");
  const token = (await revealed.innerText()).trim();
  expect(token).toMatch(/^pgp_[A-Za-z0-9_-]+$/);
  // Next's route announcer is an alert too: the one meant is the reveal's.
  await expect(page.getByRole("alert").filter({ hasText: "It is not shown again" })).toBeVisible();
  await page.getByRole("button", { name: "Copy new pull token" }).click();
  await expect(page.getByText("Copied", { exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  const prefix = token.slice(0, 10);
  const row = page.getByTestId(`pull-token-${prefix}`);
  await expect(row).toContainText("Production cluster");
  await expect(row).toContainText(owner.email);
  await expect(row).toContainText("active");
  expect(await violations(page)).toEqual([]);

  // Shown once: after a reload only its prefix is left.
  await page.reload();
  await expect(revealed).toHaveCount(0);
  await expect(page.getByText(token)).toHaveCount(0);
  await expect(row).toContainText(`${prefix}…`);

  // The token is accepted (the organisation holds no product, so it gets no credentials) until revoked.
  expect((await askForCredentials(page, token)).status()).toBe(403);
  await page.getByTestId(`revoke-pull-token-${prefix}`).click();
  await page.getByTestId(`confirm-revoke-pull-token-${prefix}`).click();
  await expect(row).toContainText("revoked");
  await expect(page.getByTestId(`revoke-pull-token-${prefix}`)).toHaveCount(0);
  expect((await askForCredentials(page, token)).status()).toBe(401);

  // The helper the instructions install is served as a file to save.
  const helper = await page.request.get("/downloads/docker-credential-pullgate");
  expect(helper.status()).toBe(200);
  expect(helper.headers()["content-disposition"]).toBe('attachment; filename="docker-credential-pullgate"');
  expect(await helper.text()).toMatch(/^#!\/bin\/sh\n/);

  const { context, page: portal } = await signInMemberBeside(browser, owner.email);
  await expect(portal).toHaveURL(/\/portal$/);
  await openTokens(portal);
  await expect(portal.getByText("Only owners of your organisation can create or revoke pull tokens.")).toBeVisible();
  await expect(portal.getByLabel("Name", { exact: true })).toHaveCount(0);
  await expect(portal.getByTestId(`pull-token-${prefix}`)).toContainText("revoked");
  await expect(portal.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);
  expect(await violations(portal)).toEqual([]);
  await context.close();
});

/** The sandbox's demo product (lib/sandbox/seed-sandbox.ts), on repositories of the emulator's account. */
const DEMO_PRODUCT_SLUG = "acme-analytics";

/**
 * The customer `ownerEmail` owns entitled to the sandbox's demo product, which offers pull tokens,
 * as a customer without keys: it pulls with tokens only, so no IAM user joins the demo
 * repositories' policies (which every other spec's customers share) and nothing is left to converge.
 */
async function entitleToDemoProduct(ownerEmail: string) {
  await withSandboxDatabase(async (db) => {
    await db.query(`UPDATE "Customer" SET "keyAccess" = false WHERE id = (SELECT "customerId" FROM "User" WHERE email = $1)`, [ownerEmail]);
    await db.query(
      `INSERT INTO "Entitlement" (id, "customerId", "productId", source, "expiresAt", "syncStatus", "syncedAt", "updatedAt")
       SELECT $1, u."customerId", p.id, 'ADMIN', now() + interval '90 days', 'SYNCED', now(), now() FROM "User" u, "Product" p WHERE u.email = $2 AND p.slug = $3`,
      [randomUUID(), ownerEmail, DEMO_PRODUCT_SLUG],
    );
  });
}

/** docker-credential-pullgate as Docker runs it, with its own home (config and cache) and the token in its environment. */
async function credentialHelper(home: string, origin: string, token: string, command: string, input = "") {
  const run = promisify(execFile)("sh", ["scripts/customer/docker-credential-pullgate", command], {
    encoding: "utf8",
    env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: path.join(home, "cache"), PULLGATE_URL: origin, PULLGATE_PULL_TOKEN: token },
  });
  run.child.stdin!.end(input);
  return JSON.parse((await run).stdout) as Record<string, string>;
}

test("a machine pulls with the shipped credential helper: it gets the customer's registry credentials from this portal", async ({ page }) => {
  const owner = await personWithPassword("helper", "CUSTOMER_OWNER");
  await entitleToDemoProduct(owner.email);
  await signInWithPassword(page, owner.email, owner.password);
  await openTokens(page);
  await page.getByLabel("Name", { exact: true }).fill("Laptop");
  await page.getByTestId("create-pull-token").click();
  const token = (await page.getByTestId("new-pull-token").innerText()).trim();

  const answer = await askForCredentials(page, token);
  expect(answer.status()).toBe(200);
  const [credentials] = ((await answer.json()) as { credentials: { registry: string; username: string; password: string; expiresAt: string }[] }).credentials;
  expect(credentials).toMatchObject({ username: "AWS", registry: expect.stringMatching(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/) });

  const home = mkdtempSync(path.join(tmpdir(), "pullgate-helper-"));
  try {
    const origin = new URL(page.url()).origin;
    expect(await credentialHelper(home, origin, token, "list")).toEqual({ [credentials!.registry]: "AWS" });
    // What Docker reads for `docker pull <registry>/...`: the same registry password the portal handed out.
    expect(await credentialHelper(home, origin, token, "get", `https://${credentials!.registry}\n`)).toEqual({
      ServerURL: credentials!.registry,
      Username: "AWS",
      Secret: credentials!.password,
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
