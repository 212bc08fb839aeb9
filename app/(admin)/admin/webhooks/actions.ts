"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { guardedAction } from "@/lib/actions/guarded-action";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { createWebhookEndpoint, deleteWebhookEndpoint, setWebhookEndpointEnabled } from "@/lib/webhooks/endpoints";
import { retryDelivery, sendTestEvent } from "@/lib/webhooks/manual-deliveries";
import { text } from "@/app/form-values";
import { assertIdShaped } from "@/lib/validation/strict-input";

export type NewWebhookEndpoint = { url: string; secret: string };

const stale = { path: "/admin/webhooks" };

export async function createWebhookEndpointAction(_prev: ActionResult<NewWebhookEndpoint> | null, formData: FormData): Promise<ActionResult<NewWebhookEndpoint>> {
  const result = await runAction(async () => {
    const user = await requireVendorWriter();
    const input = { url: text(formData, "url") ?? "", scope: text(formData, "scope"), eventTypes: formData.getAll("eventTypes").map(String) };
    const created = await createWebhookEndpoint({ actor: userActor(user), input });
    return { data: { url: created.url, secret: created.secret } };
  });
  revalidatePath(stale.path);
  return result;
}

export async function setWebhookEndpointEnabledAction(id: string, enabled: boolean): Promise<ActionResult> {
  return guardedAction(
    requireVendorWriter,
    async (user) => {
      assertIdShaped(id, "webhook endpoint");
      await setWebhookEndpointEnabled({ actor: userActor(user), id, enabled });
      return enabled ? "Enabled." : "Disabled.";
    },
    stale,
  );
}

export async function deleteWebhookEndpointAction(id: string): Promise<ActionResult> {
  return guardedAction(
    requireVendorWriter,
    async (user) => {
      assertIdShaped(id, "webhook endpoint");
      await deleteWebhookEndpoint({ actor: userActor(user), id });
      return "Deleted.";
    },
    stale,
  );
}

export async function sendTestEventAction(endpointId: string): Promise<ActionResult> {
  return guardedAction(
    requireVendorWriter,
    async () => {
      assertIdShaped(endpointId, "webhook endpoint");
      return (await sendTestEvent(endpointId)).message;
    },
    stale,
  );
}

export async function retryDeliveryAction(deliveryId: string): Promise<ActionResult> {
  return guardedAction(
    requireVendorWriter,
    async () => {
      assertIdShaped(deliveryId, "delivery");
      return (await retryDelivery(deliveryId)).message;
    },
    stale,
  );
}
