import { entitlementActionRoute } from "@/lib/entitlements/api-actions";

export const POST = entitlementActionRoute("convert");
