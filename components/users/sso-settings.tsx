import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, Section } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { DateTime } from "@/components/ui/date-time";
import { mutedText } from "@/components/ui/styles";
import type { FormAction } from "@/components/ui/use-form-action";
import type { SsoSettingsView } from "@/lib/auth/sso/sso-settings-view";
import { roleLabels } from "@/lib/users/roles";
import { SsoConnectionForm } from "./sso-connection-form";
import { SsoVerifyButton } from "./sso-verify-button";

type Props = {
  view: SsoSettingsView;
  /** The vendor team's connection names the role of new members; a customer's users join as members. */
  withRole: boolean;
  /** Present when the viewer may change the connection; without it the settings are shown read-only. */
  manage?: { save: FormAction; remove: FormAction; removePrompt: string };
  /** Present when the viewer (a vendor writer) verifies a customer's domains. */
  verify?: FormAction;
  /** Further controls shown under the connection (the vendor team's SSO-only switch). */
  children?: ReactNode;
};

/**
 * A team's or organisation's single sign-on: the redirect URI to register at the provider, the
 * stored connection with its domains, and (for those who manage it) the form and its removal.
 */
export function SsoSettings({ view, withRole, manage, verify, children }: Props) {
  const { connection } = view;
  return (
    <>
      {/* For whoever sets the provider up: a read-only viewer has nothing to register. */}
      {manage && (
        <Card className="space-y-2">
          <p className="text-sm">Register this redirect (callback) URI at the identity provider:</p>
          <CodeBlock text={view.redirectUri} what="single sign-on redirect URI" testId="sso-redirect-uri" />
        </Card>
      )}
      <Section title="Identity provider" level={3}>
        <Card>
          {connection ? (
            <dl className="grid gap-3 text-sm sm:grid-cols-[max-content_1fr]">
              <dt className="font-semibold">Issuer</dt>
              <dd className="font-mono break-all">{connection.issuer}</dd>
              <dt className="font-semibold">Client ID</dt>
              <dd className="font-mono break-all">{connection.clientId}</dd>
              {withRole && (
                <>
                  <dt className="font-semibold">Default role for new members</dt>
                  <dd>{roleLabels[connection.defaultRole]}</dd>
                </>
              )}
              <dt className="font-semibold">Status</dt>
              <dd>
                <Badge tone={connection.enabled ? "green" : "gray"} testId="sso-status">
                  {connection.enabled ? "enabled" : "disabled"}
                </Badge>
              </dd>
              <dt className="font-semibold">Last SSO sign-in</dt>
              <dd>
                <DateTime value={connection.lastSignInAt} fallback="Never" />
              </dd>
              <dt className="font-semibold">Email domains</dt>
              <dd>
                <ul className="space-y-2">
                  {connection.domains.map((d) => (
                    <li key={d.domain} className="flex flex-wrap items-center gap-2">
                      <span className="font-mono">{d.domain}</span>
                      <Badge tone={d.verified ? "green" : "amber"}>{d.verified ? "verified" : "awaiting the vendor's verification"}</Badge>
                      {!d.verified && verify && <SsoVerifyButton action={verify} domain={d.domain} />}
                    </li>
                  ))}
                </ul>
              </dd>
            </dl>
          ) : (
            <p className={`text-sm ${mutedText}`}>No single sign-on is set up. Users sign in with an emailed link, a password or a passkey.</p>
          )}
        </Card>
      </Section>
      {manage && (
        <Section title={connection ? "Change single sign-on" : "Set up single sign-on"} level={3}>
          <Card>
            <SsoConnectionForm
              action={manage.save}
              withRole={withRole}
              connection={
                connection && {
                  issuer: connection.issuer,
                  clientId: connection.clientId,
                  defaultRole: connection.defaultRole,
                  enabled: connection.enabled,
                  domains: connection.domains.map((d) => d.domain),
                }
              }
            />
          </Card>
          {connection && (
            <ConfirmAction
              action={manage.remove}
              triggerLabel="Remove single sign-on"
              confirmLabel="Remove single sign-on"
              prompt={manage.removePrompt}
              triggerTestId="sso-remove"
              confirmTestId="sso-remove-confirm"
            />
          )}
        </Section>
      )}
      {children}
    </>
  );
}
