import { NextResponse } from "next/server";
import { actOnEntitlement, type EntitlementAction } from "@/lib/entitlements/entitlement-actions";
import { presentEntitlement } from "@/lib/entitlements/present-entitlement";
import { apiRoute, readOptionalJson } from "./api-route";

/** `POST /entitlements/{id}/<action>`: acts (a repeat changes nothing) and answers with the entitlement as it now is. */
export function entitlementActionRoute(action: EntitlementAction) {
  return apiRoute<{ id: string }>(async ({ req, actor, params }) => {
    await actOnEntitlement(action, { actor, entitlementId: params.id, input: await readOptionalJson(req) });
    return NextResponse.json(await presentEntitlement(params.id));
  });
}
