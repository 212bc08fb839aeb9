import type { Metadata } from "next";
import { ApiKeyCreateForm } from "@/components/admin/api-key-create-form";
import { Badge } from "@/components/ui/badge";
import { Card, Section } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { DataTable, EmptyRow, Td } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { apiKeyScopeOptions, listApiKeys, type ApiKeyRow } from "@/lib/api-keys/api-keys-view";
import { canWrite, vendorPage } from "../vendor-guard";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API keys" };

async function loadKeys() {
  const user = await vendorPage();
  return { user, keys: await listApiKeys() };
}

export default async function ApiKeysPage() {
  const data = await loadKeys();
  const { user, keys } = data;
  const writable = canWrite(user);
  const columns = ["Label", "Prefix", "Access", "Created", "Last used", "Expires", "Status", ...(writable ? ["Actions"] : [])];
  return (
    <>
      <PageHeader title="API keys" description="Keys let your billing or CRM systems grant and revoke entitlements through the API." />
      {writable && (
        <Section title="Create an API key">
          <Card>
            <ApiKeyCreateForm action={createApiKeyAction} scopes={apiKeyScopeOptions()} />
          </Card>
        </Section>
      )}
      <Section title="All API keys">
        <DataTable caption="API keys" columns={columns}>
          {keys.length === 0 && <EmptyRow colSpan={columns.length}>No API keys yet.</EmptyRow>}
          {keys.map((k) => (
            <tr key={k.id}>
              <Td>
                {k.label}
                <div className="text-xs text-slate-600 dark:text-slate-300">{k.ownerEmail ? `by ${k.ownerEmail}` : "no owner"}</div>
              </Td>
              <Td className="font-mono text-xs">{k.prefix}…</Td>
              <Td>{k.scopeLabel}</Td>
              <Td>
                <DateTime value={k.createdAt} />
              </Td>
              <Td>
                <DateTime value={k.lastUsedAt} fallback="Never" />
              </Td>
              <Td>
                <DateTime value={k.expiresAt} fallback="Never" />
              </Td>
              <Td>
                <KeyStatus apiKey={k} />
              </Td>
              {writable && (
                <Td>
                  {!k.revokedAt && (
                    <ConfirmAction
                      action={revokeApiKeyAction.bind(null, k.id)}
                      triggerLabel={`Revoke ${k.label}`}
                      confirmLabel="Yes, revoke"
                      prompt={`Systems using "${k.label}" will get 401 errors from now on.`}
                    />
                  )}
                </Td>
              )}
            </tr>
          ))}
        </DataTable>
      </Section>
    </>
  );
}

function KeyStatus({ apiKey }: { apiKey: ApiKeyRow }) {
  switch (apiKey.status) {
    case "active":
      return <Badge tone="green">active</Badge>;
    case "expired":
      return <Badge tone="gray">expired</Badge>;
    case "owner-removed":
      return <Badge tone="gray">owner removed</Badge>;
    case "revoked":
      return (
        <span>
          <Badge tone="gray">revoked</Badge> <DateTime value={apiKey.revokedAt} />
          {apiKey.revokedReason && <div className="text-xs text-slate-600 dark:text-slate-300">{apiKey.revokedReason}</div>}
        </span>
      );
  }
}
