// Workload identities in a real browser: an owner whose product offers federation trusts a GitHub
// Actions workflow and gets its exact set-up, a subject pattern that could match other
// organisations is refused with the field's error and stores nothing, a member of the same
// organisation only reads, and an owner without such a product gets no form.
import { randomBytes, randomUUID } from "node:crypto";
import { expect, test, type Page } from "./judged-test";
import { axeViolations as violations, personWithPassword, signInMemberBeside, signInWithPassword, withSandboxDatabase } from "./people";

const customerOf = (email: string) =>
  withSandboxDatabase(async (db) => {
    const { rows } = await db.query<{ customerId: string }>(`SELECT "customerId" FROM "User" WHERE email = $1`, [email]);
    return rows[0]!.customerId;
  });

/**
 * A product of its own offering only workload federation, with no repositories (its customers'
 * roles may pull nothing, and provisioning touches no repository), granted to the customer.
 * Failed to provision with no job left to retry it, as roles.setup.ts seeds one: it stays as
 * seeded until a change of the customer converges it.
 */
async function entitleToFederation(customerId: string) {
  const run = `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const productId = randomUUID();
  await withSandboxDatabase(async (db) => {
    await db.query(
      `INSERT INTO "Product" (id, slug, name, "accessModes", "defaultAccessMode", "updatedAt")
       VALUES ($1, $2, $3, '{OIDC_FEDERATION}', 'OIDC_FEDERATION', now())`,
      [productId, `workloads-${run}`, `Workloads Product ${run}`],
    );
    await db.query(
      `INSERT INTO "Entitlement" (id, "customerId", "productId", source, "expiresAt", "syncStatus", "syncError", "updatedAt")
       VALUES ($1, $2, $3, 'ADMIN', now() + interval '90 days', 'FAILED', 'Seeded provisioning failure', now())`,
      [randomUUID(), customerId, productId],
    );
  });
}

const storedWorkloads = (customerId: string) =>
  withSandboxDatabase(async (db) => {
    const { rows } = await db.query<{ name: string; kind: string; issuer: string; audience: string; subject: string }>(
      `SELECT name, kind::text AS kind, issuer, audience, subject FROM "WorkloadIdentity" WHERE "customerId" = $1 ORDER BY "createdAt"`,
      [customerId],
    );
    return rows;
  });

const roleArnOf = (customerId: string) =>
  withSandboxDatabase(async (db) => {
    const { rows } = await db.query<{ workloadRoleArn: string | null }>(`SELECT "workloadRoleArn" FROM "Customer" WHERE id = $1`, [customerId]);
    return rows[0]!.workloadRoleArn;
  });

async function openWorkloads(page: Page) {
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Workloads" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Workload identities" })).toBeVisible();
}

const SUBJECT = "repo:acme-e2e/deploy:ref:refs/heads/main";

test("an owner trusts a GitHub Actions workflow and gets its set-up; an open pattern is refused; a member only reads", async ({ page, browser }) => {
  const owner = await personWithPassword("workloads", "CUSTOMER_OWNER");
  const customerId = await customerOf(owner.email);
  await entitleToFederation(customerId);
  await signInWithPassword(page, owner.email, owner.password);
  await expect(page).toHaveURL(/\/portal$/);
  await openWorkloads(page);
  const table = page.getByRole("table", { name: "Workloads your organisation trusts" });
  await expect(table).toContainText("No trusted workloads yet.");
  // No role yet: the set-up shows where its ARN goes.
  const workflow = page.getByTestId("instruction-workload-github-workflow");
  await expect(workflow).toContainText("role-to-assume: <role ARN>");
  expect(await violations(page)).toEqual([]);

  // A pattern that names no organisation could match anyone's repositories.
  const kind = page.getByLabel("Where it runs", { exact: true });
  await expect(kind).toHaveValue("GITHUB_ACTIONS");
  await expect(page.getByLabel("Issuer URL", { exact: true })).toHaveCount(0);
  await page.getByLabel("Name", { exact: true }).fill("Any repository");
  const subject = page.getByLabel("Subject", { exact: true });
  await subject.fill("repo:*");
  await page.getByTestId("register-workload").click();
  await expect(page.locator("#field-subject-error")).toContainText("A pattern must name your own organisation before any * or ?");
  await expect(subject).toHaveAttribute("aria-invalid", "true");
  // What was typed stays, to be corrected.
  await expect(subject).toHaveValue("repo:*");
  expect(await storedWorkloads(customerId)).toEqual([]);
  expect(await violations(page)).toEqual([]);

  // Kubernetes and other issuers ask for the issuer; GitHub's is fixed.
  await kind.selectOption("KUBERNETES");
  await expect(page.getByLabel("Issuer URL", { exact: true })).toBeVisible();
  await kind.selectOption("GITHUB_ACTIONS");
  await expect(page.getByLabel("Issuer URL", { exact: true })).toHaveCount(0);

  await page.getByLabel("Name", { exact: true }).fill("Release pipeline");
  await subject.fill(SUBJECT);
  await page.getByTestId("register-workload").click();
  await expect(page.getByRole("status").filter({ hasText: "Trusted Release pipeline" })).toBeVisible();
  const row = table.getByRole("row").filter({ hasText: "Release pipeline" });
  await expect(row).toContainText("GitHub Actions");
  await expect(row).toContainText("https://token.actions.githubusercontent.com");
  await expect(row).toContainText("sts.amazonaws.com");
  await expect(row).toContainText(SUBJECT);
  expect(await storedWorkloads(customerId)).toEqual([
    { name: "Release pipeline", kind: "GITHUB_ACTIONS", issuer: "https://token.actions.githubusercontent.com", audience: "sts.amazonaws.com", subject: SUBJECT },
  ]);

  // The workflow names the customer's role once it exists (the registration converges it now,
  // or the job engine does shortly after).
  await page.reload();
  const roleArn = await roleArnOf(customerId);
  await expect(workflow).toContainText(`role-to-assume: ${roleArn ?? "<role ARN>"}`);
  await expect(workflow).toContainText("id-token: write");
  await expect(workflow).toContainText("uses: aws-actions/configure-aws-credentials@v4");
  await expect(workflow).toContainText("role-session-name: github-actions");
  await expect(workflow).toContainText("uses: aws-actions/amazon-ecr-login@v2");
  await expect(workflow).toContainText("docker pull ");
  if (roleArn) await expect(page.getByTestId("workload-role")).toContainText(roleArn);
  await expect(page.getByRole("button", { name: "Copy GitHub Actions: Pull in a workflow" })).toBeVisible();
  expect(await violations(page)).toEqual([]);

  const { context, page: portal } = await signInMemberBeside(browser, owner.email);
  await expect(portal).toHaveURL(/\/portal$/);
  await openWorkloads(portal);
  await expect(portal.getByText("Only owners of your organisation can trust or remove workloads.")).toBeVisible();
  await expect(portal.getByLabel("Where it runs", { exact: true })).toHaveCount(0);
  await expect(portal.getByTestId("register-workload")).toHaveCount(0);
  await expect(portal.getByRole("table", { name: "Workloads your organisation trusts" })).toContainText(SUBJECT);
  await expect(portal.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
  await expect(portal.getByTestId("instruction-workload-github-workflow")).toBeVisible();
  expect(await violations(portal)).toEqual([]);
  await context.close();

  // Removing it stops the trust (and with the last workload, the role goes).
  await page.getByRole("button", { name: "Remove Release pipeline" }).click();
  await page.getByRole("button", { name: "Yes, remove" }).click();
  await expect(table).toContainText("No trusted workloads yet.");
  expect(await storedWorkloads(customerId)).toEqual([]);
});

test("an owner none of whose products offers workload federation gets no form", async ({ page }) => {
  const owner = await personWithPassword("no-workloads", "CUSTOMER_OWNER");
  await signInWithPassword(page, owner.email, owner.password);
  await expect(page).toHaveURL(/\/portal$/);
  await openWorkloads(page);
  await expect(page.getByTestId("workloads-not-offered")).toContainText("None of your products offers workload federation");
  await expect(page.getByLabel("Where it runs", { exact: true })).toHaveCount(0);
  await expect(page.getByTestId("instruction-workload-github-workflow")).toHaveCount(0);
  expect(await violations(page)).toEqual([]);
});
