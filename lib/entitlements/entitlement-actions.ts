import { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import { convertTrial } from "./convert-trial";
import { extendEntitlement } from "./extend-entitlement";
import { reasonInputSchema } from "./reason-input";
import { revokeEntitlement } from "./revoke-entitlement";
import { resumeEntitlement, suspendEntitlement } from "./suspension";

type ActionArgs = { actor: Actor; entitlementId: string; input: unknown };

const actions = {
  extend: ({ actor, entitlementId, input }) => extendEntitlement({ actor, entitlementId, input: input as { expiresAt?: string } }),
  convert: ({ actor, entitlementId, input }) => convertTrial({ actor, entitlementId, input: input as { expiresAt?: string } }),
  suspend: ({ actor, entitlementId, input }) => suspendEntitlement({ actor, entitlementId, ...reasonInputSchema.parse(input) }),
  resume: ({ actor, entitlementId, input }) => {
    z.object({}).strict().parse(input);
    return resumeEntitlement({ actor, entitlementId });
  },
  revoke: ({ actor, entitlementId, input }) =>
    revokeEntitlement({ actor, entitlementId, reason: reasonInputSchema.parse(input).reason ?? "revoked via API" }),
} satisfies Record<string, (args: ActionArgs) => Promise<unknown>>;

/** The actions a client may take on one entitlement by name (the v1 API's last path segment). */
export type EntitlementAction = keyof typeof actions;

/** Takes one named action on an entitlement, checking the client's input first; a repeat changes nothing. */
export async function actOnEntitlement(action: EntitlementAction, args: ActionArgs): Promise<void> {
  await actions[action](args);
}
