import type { Metadata } from "next";
import { ActionButton } from "@/components/admin/entitlement-actions";
import { WebhookEndpointForm } from "@/components/admin/webhook-endpoint-form";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, Section } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { getWebhooksView, type WebhookDeliveryStatus } from "@/lib/webhooks/webhooks-view";
import { canWrite, vendorPage } from "../vendor-guard";
import { createWebhookEndpointAction, deleteWebhookEndpointAction, retryDeliveryAction, sendTestEventAction, setWebhookEndpointEnabledAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Webhooks" };

const deliveryTone: Record<WebhookDeliveryStatus, BadgeTone> = { PENDING: "amber", DELIVERED: "green", FAILED: "red" };

async function loadWebhooks() {
  const user = await vendorPage();
  return { user, ...(await getWebhooksView()) };
}

export default async function WebhooksPage() {
  const { user, endpoints, deliveries } = await loadWebhooks();
  const writable = canWrite(user);
  const endpointColumns = ["URL", "Events", "Status", "Created", ...(writable ? ["Actions"] : [])];
  const deliveryColumns = ["Event", "Endpoint", "Status", "Attempts", "Last answer", "Next attempt", ...(writable ? ["Actions"] : [])];
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Your systems hear when an entitlement is ready, expires soon, has expired, is revoked or fails to provision: signed POST requests, retried for about a day."
      />
      {writable && (
        <Section title="Add an endpoint">
          <Card>
            <WebhookEndpointForm action={createWebhookEndpointAction} />
          </Card>
        </Section>
      )}
      <Section title="Endpoints">
        <DataTable caption="Webhook endpoints" columns={endpointColumns}>
          {endpoints.length === 0 && <EmptyRow colSpan={endpointColumns.length}>No endpoints yet.</EmptyRow>}
          {endpoints.map((e) => (
            <tr key={e.id}>
              <Td className="font-mono text-xs break-all">{e.url}</Td>
              <Td className="font-mono text-xs">{e.eventTypes.length === 0 ? "all events" : e.eventTypes.join(", ")}</Td>
              <Td>{e.enabled ? <Badge tone="green">enabled</Badge> : <Badge tone="gray">disabled</Badge>}</Td>
              <Td>
                <DateTime value={e.createdAt} />
              </Td>
              {writable && (
                <Td>
                  <div className="flex flex-wrap items-start gap-2">
                    {e.enabled && <ActionButton action={sendTestEventAction.bind(null, e.id)} label="Send test event" pendingLabel="Sending…" testId="webhook-send-test" />}
                    <ActionButton
                      action={setWebhookEndpointEnabledAction.bind(null, e.id, !e.enabled)}
                      label={e.enabled ? "Disable" : "Enable"}
                      pendingLabel="Saving…"
                      testId="webhook-toggle"
                    />
                    <ConfirmAction
                      action={deleteWebhookEndpointAction.bind(null, e.id)}
                      triggerLabel="Delete"
                      confirmLabel="Yes, delete"
                      prompt={`${e.url} will receive no more events, and its deliveries are deleted.`}
                    />
                  </div>
                </Td>
              )}
            </tr>
          ))}
        </DataTable>
      </Section>
      <Section title="Recent deliveries">
        <DataTable caption="Recent webhook deliveries" columns={deliveryColumns}>
          {deliveries.length === 0 && <EmptyRow colSpan={deliveryColumns.length}>No deliveries yet.</EmptyRow>}
          {deliveries.map((d) => (
            <tr key={d.id}>
              <Td>
                <span className="font-mono text-xs">{d.event.type}</span>
                <div className="font-mono text-xs text-slate-600 dark:text-slate-300">{d.event.id}</div>
              </Td>
              <Td className="font-mono text-xs break-all">{d.endpoint.url}</Td>
              <Td>
                <Badge tone={deliveryTone[d.status]}>{d.status.toLowerCase()}</Badge>
              </Td>
              <Td>{d.attempts}</Td>
              <Td className="text-xs">{d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : "—")}</Td>
              <Td>{d.status === "PENDING" ? <DateTime value={d.nextAttemptAt} /> : "—"}</Td>
              {writable && (
                <Td>
                  {d.status === "FAILED" && <ActionButton action={retryDeliveryAction.bind(null, d.id)} label="Retry now" pendingLabel="Retrying…" testId="webhook-retry" />}
                </Td>
              )}
            </tr>
          ))}
        </DataTable>
      </Section>
    </>
  );
}
