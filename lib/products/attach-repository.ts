import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { findRepository } from "@/lib/aws/ecr";
import { db, isUniqueViolation } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requestCustomerReconcile } from "@/lib/provisioning/request-reconcile";
import { ecrRegions, registryAccounts } from "./available-repositories";

export const attachRepositorySchema = z.object({
  productId: z.string().min(1),
  // The portal's own account when not given.
  accountId: z
    .string()
    .trim()
    .regex(/^\d{12}$/, "Account must be a 12-digit AWS account id")
    .optional(),
  region: z.string().trim().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "Region must look like us-east-1"),
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, "Not a valid ECR repository name")
    .max(256),
});

/**
 * Adds an existing ECR repository to a product, after checking that it exists in AWS. Customers
 * already entitled to the product are reconciled so they reach the new repository too.
 */
export async function attachRepository({ actor, input }: { actor: Actor; input: z.input<typeof attachRepositorySchema> }) {
  const data = attachRepositorySchema.parse(input);
  if (!ecrRegions().includes(data.region)) {
    throw new AppError("INVALID_INPUT", `${data.region} is not one of the configured regions (${ecrRegions().join(", ")})`);
  }
  const accounts = await registryAccounts();
  const accountId = data.accountId ?? accounts[0]!;
  if (!accounts.includes(accountId)) {
    throw new AppError("INVALID_INPUT", `${accountId} is not one of the configured accounts (${accounts.join(", ")}): add it to PULLGATE_REGISTRY_ACCOUNTS`);
  }
  const product = await db.product.findUnique({ where: { id: data.productId } });
  if (!product) throw new AppError("NOT_FOUND", "Product not found");
  const remote = await findRepository(data.region, data.name, accountId);
  if (!remote) throw new AppError("INVALID_INPUT", `No ECR repository "${data.name}" in ${data.region} of account ${accountId}`);
  // Claimed by the unique (account, region, name): of concurrent attachments one wins.
  const repository = await db
    .$transaction(async (tx) => {
      const created = await tx.repository.create({
        data: { productId: product.id, accountId: remote.accountId, region: remote.region, name: remote.name },
      });
      await recordAuditEvent(tx, { actor, action: "repository.attached", data: { product: product.slug, repository: remote.uri } });
      return created;
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", `${remote.name} already belongs to a product`);
      throw error;
    });

  const affected = await db.entitlement.findMany({
    where: { productId: product.id, status: "ACTIVE" },
    select: { customerId: true },
    distinct: ["customerId"],
  });
  await db.entitlement.updateMany({ where: { productId: product.id, status: "ACTIVE" }, data: { syncStatus: "PENDING" } });
  for (const { customerId } of affected) await requestCustomerReconcile(customerId);
  return repository;
}
