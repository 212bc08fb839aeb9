import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/api-route";
import { queryOf } from "@/lib/paging/cursor-page";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import type { GrantInput } from "@/lib/entitlements/grant-input";
import { pageEntitlements } from "@/lib/entitlements/page-entitlements";
import { presentEntitlement } from "@/lib/entitlements/present-entitlement";

export const GET = apiRoute(async ({ req }) => NextResponse.json(await pageEntitlements(queryOf(req.url))));

export const POST = apiRoute(async ({ req, actor }) => {
  const body = (await readJson(req)) as GrantInput;
  const { entitlement, created } = await grantEntitlement({ actor, source: "API", input: body });
  return NextResponse.json(await presentEntitlement(entitlement.id), { status: created ? 201 : 200 });
});
