import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute, readOptionalJson } from "@/lib/api/api-route";
import type { Actor } from "@/lib/audit/actor";
import { convertTrial } from "./convert-trial";
import { extendEntitlement } from "./extend-entitlement";
import { presentEntitlement } from "./present-entitlement";
import { reasonInputSchema } from "./reason-input";
import { revokeEntitlement } from "./revoke-entitlement";
import { resumeEntitlement, suspendEntitlement } from "./suspension";

type Act = (actor: Actor, entitlementId: string, body: unknown) => Promise<unknown>;

/** The v1 API's actions on one entitlement, by the last segment of their path. */
const actions = {
  extend: (actor, entitlementId, body) => extendEntitlement({ actor, entitlementId, input: body as { expiresAt?: string } }),
  convert: (actor, entitlementId, body) => convertTrial({ actor, entitlementId, input: body as { expiresAt?: string } }),
  suspend: (actor, entitlementId, body) => suspendEntitlement({ actor, entitlementId, ...reasonInputSchema.parse(body) }),
  resume: (actor, entitlementId, body) => {
    z.object({}).strict().parse(body);
    return resumeEntitlement({ actor, entitlementId });
  },
  revoke: (actor, entitlementId, body) =>
    revokeEntitlement({ actor, entitlementId, reason: reasonInputSchema.parse(body).reason ?? "revoked via API" }),
} satisfies Record<string, Act>;

/** `POST /entitlements/{id}/<action>`: acts (a repeat changes nothing) and answers with the entitlement as it now is. */
export function entitlementActionRoute(action: keyof typeof actions) {
  return apiRoute<{ id: string }>(async ({ req, actor, params }) => {
    await actions[action](actor, params.id, await readOptionalJson(req));
    return NextResponse.json(await presentEntitlement(params.id));
  });
}
