import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/api-route";
import { presentEntitlement } from "@/lib/entitlements/present-entitlement";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";

export const POST = apiRoute<{ id: string }>(async ({ params, actor }) => {
  await revokeEntitlement({ actor, entitlementId: params.id, reason: "revoked via API" });
  return NextResponse.json(await presentEntitlement(params.id));
});
