// Creates a read-only vendor viewer and a customer owner in the sandbox's database, signs each
// role (and the sandbox's admin) in through the sign-in page once, and stores their sessions.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test as setup } from "./judged-test";
import { hashPassword } from "@/lib/auth/password";
import { signInWithPassword, withSandboxDatabase } from "./people";
import { ROLES, seededRowsFile, storageState, type Role, type SeededRows } from "./roles";
import { sandbox } from "./sandbox";

const credentials = {} as Record<Role, { email: string; password: string }>;

setup.beforeAll(async () => {
  const run = Date.now().toString(36);
  const password = randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  await withSandboxDatabase(async (client) => {
    const customerId = randomUUID();
    const productId = randomUUID();
    const entitlementId = randomUUID();
    const bulkOperationId = randomUUID();
    const viewer = { email: `viewer-${run}@pullgate.local`, password };
    const customer = { email: `owner-${run}@customer.example`, password };
    await client.query(`INSERT INTO "Customer" (id, name, "updatedAt") VALUES ($1, $2, now())`, [customerId, `Roles Customer ${run}`]);
    const addUser = (email: string, role: string, customer: string | null) =>
      client.query(`INSERT INTO "User" (id, email, role, "customerId", "passwordHash", "updatedAt") VALUES ($1, $2, $3, $4, $5, now())`, [
        randomUUID(),
        email,
        role,
        customer,
        passwordHash,
      ]);
    await addUser(viewer.email, "VENDOR_VIEWER", null);
    await addUser(customer.email, "CUSTOMER_OWNER", customerId);
    await client.query(`INSERT INTO "Product" (id, slug, name, "updatedAt") VALUES ($1, $2, $3, now())`, [productId, `roles-${run}`, `Roles Product ${run}`]);
    // Active but failed to provision, with no job left to retry it: it stays as seeded, and a
    // writer sees every control the entitlement page has.
    await client.query(
      `INSERT INTO "Entitlement" (id, "customerId", "productId", source, "expiresAt", "syncStatus", "syncError", "updatedAt")
       VALUES ($1, $2, $3, 'ADMIN', now() + interval '90 days', 'FAILED', 'Seeded provisioning failure', now())`,
      [entitlementId, customerId, productId],
    );
    // Already finished, so the job engine leaves it (and the entitlement) alone.
    await client.query(
      `INSERT INTO "BulkOperation" (id, kind, "createdByType", "createdByLabel", "startedAt", "finishedAt", status)
       VALUES ($1, 'REPROVISION', 'SYSTEM', 'roles setup', now(), now(), 'DONE')`,
      [bulkOperationId],
    );
    await client.query(
      `INSERT INTO "BulkOperationItem" (id, "operationId", position, input, "entitlementId", status, message, "processedAt")
       VALUES ($1, $2, 0, $3, $3, 'OK', 'Re-provisioned.', now())`,
      [randomUUID(), bulkOperationId, entitlementId],
    );
    Object.assign(credentials, { admin: sandbox().admin, viewer, customer });
    mkdirSync(path.dirname(seededRowsFile), { recursive: true });
    writeFileSync(seededRowsFile, JSON.stringify({ customerId, entitlementId, bulkOperationId } satisfies SeededRows));
  });
});

for (const role of ROLES) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await signInWithPassword(page, credentials[role].email, credentials[role].password);
    await expect(page).toHaveURL(role === "customer" ? /\/portal$/ : /\/admin$/);
    await page.context().storageState({ path: storageState(role) });
  });
}
