import { systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { setProductAccessModes } from "@/lib/products/set-access-modes";
import type { awsAdmin } from "./aws-admin";
import { createProduct } from "./seed";

/** A product on a fresh identity-policy repository (tagged with its product once granted), offering federation and pull tokens. */
export async function federatedProduct(admin: ReturnType<typeof awsAdmin>, at: { accountId: string; region: string }) {
  const repo = await admin.createRepository();
  const product = await createProduct({ accountId: at.accountId, region: at.region, repositories: [repo.name] });
  await db.repository.updateMany({ where: { productId: product.id }, data: { strategy: "IDENTITY_POLICY", strategyReason: "test" } });
  await setProductAccessModes({ actor: systemActor("test"), productId: product.id, input: { modes: ["OIDC_FEDERATION", "BROKERED_TOKEN"], defaultMode: "OIDC_FEDERATION" } });
  return { ...product, repo };
}
