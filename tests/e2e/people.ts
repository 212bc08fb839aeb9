// What several specs do alike: sign a person in with a password, make one (or a member of their
// organisation) in the sandbox's database, and ask axe about the page.
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { hashPassword } from "@/lib/auth/password";
import { sandbox } from "./sandbox";

/** WCAG 2.1 A and AA violations on the page as it is, one line each. */
export async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

export async function signInWithPassword(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
}

/** A connection to the running sandbox's database, closed after `work`. */
export async function withSandboxDatabase<T>(work: (db: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: sandbox().databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A user with a password, straight in the database: a vendor staff member, or the owner of a new
 * customer named after `label`.
 */
export async function personWithPassword(label: string, role: "CUSTOMER_OWNER" | "VENDOR_ADMIN") {
  const run = `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const email = role === "CUSTOMER_OWNER" ? `${label}-${run}@customer.example` : `${label}-${run}@pullgate.local`;
  const password = randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  await withSandboxDatabase(async (db) => {
    const customerId = role === "CUSTOMER_OWNER" ? randomUUID() : null;
    if (customerId) await db.query(`INSERT INTO "Customer" (id, name, "updatedAt") VALUES ($1, $2, now())`, [customerId, `${label} customer ${run}`]);
    await db.query(`INSERT INTO "User" (id, email, role, "customerId", "passwordHash", "updatedAt") VALUES ($1, $2, $3, $4, $5, now())`, [
      randomUUID(),
      email,
      role,
      customerId,
      passwordHash,
    ]);
  });
  return { email, password };
}

/** A member (not an owner) of the customer `ownerEmail` owns, with a password. */
export async function memberBeside(ownerEmail: string) {
  const email = `member-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}@customer.example`;
  const password = randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  await withSandboxDatabase((db) =>
    db.query(
      `INSERT INTO "User" (id, email, role, "customerId", "passwordHash", "updatedAt")
       SELECT $1, $2, 'CUSTOMER_MEMBER', "customerId", $3, now() FROM "User" WHERE email = $4`,
      [randomUUID(), email, passwordHash, ownerEmail],
    ),
  );
  return { email, password };
}

/** A new member beside `ownerEmail`, signed in on a page of a browser context of its own; close the context when done. */
export async function signInMemberBeside(browser: Browser, ownerEmail: string) {
  const member = await memberBeside(ownerEmail);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithPassword(page, member.email, member.password);
  return { context, page };
}
