import { entitlementActionRoute } from "@/lib/api/entitlement-action-route";

export const POST = entitlementActionRoute("revoke");
