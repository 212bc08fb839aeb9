import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/api-route";
import { presentEntitlement } from "@/lib/entitlements/present-entitlement";

export const GET = apiRoute<{ id: string }>(async ({ params }) => NextResponse.json(await presentEntitlement(params.id)));
