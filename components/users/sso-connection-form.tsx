"use client";

import { Button } from "@/components/ui/button";
import { FormField, SelectField, TextAreaField } from "@/components/ui/form-field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { focusRing } from "@/components/ui/styles";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

export type SsoFormConnection = { issuer: string; clientId: string; defaultRole: string; enabled: boolean; domains: string[] };

const ROLES = [
  { value: "VENDOR_ADMIN", label: "Admin" },
  { value: "VENDOR_VIEWER", label: "Viewer" },
] as const;

type Props = {
  action: FormAction;
  /** The stored settings, or null before the first save. The client secret is never shown. */
  connection: SsoFormConnection | null;
  /** The vendor team's form names the role new members get; customer users join as members. */
  withRole: boolean;
};

/** An OpenID Connect identity provider: the vendor team's, or one customer organisation's. */
export function SsoConnectionForm({ action, connection, withRole }: Props) {
  // Reset on success: the page re-renders with the saved values and the typed secret is cleared.
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  const role = ROLES.some((r) => r.value === connection?.defaultRole) ? connection?.defaultRole : "VENDOR_VIEWER";
  return (
    <div className="space-y-3">
      <form ref={formRef} onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2" noValidate aria-label="Single sign-on settings" data-testid="sso-form">
        <FormField
          label="Issuer"
          name="issuer"
          type="url"
          required
          autoComplete="off"
          defaultValue={connection?.issuer}
          hint="The provider's issuer URL; its discovery document is read from /.well-known/openid-configuration."
          error={fieldError(state, "issuer")}
        />
        <FormField label="Client ID" name="clientId" required autoComplete="off" defaultValue={connection?.clientId} error={fieldError(state, "clientId")} />
        <FormField
          label="Client secret"
          name="clientSecret"
          type="password"
          required={!connection}
          autoComplete="new-password"
          placeholder={connection ? "stored; leave blank to keep" : undefined}
          hint={connection ? "Stored encrypted and never shown again. Enter a new one only to replace it." : "Stored encrypted and never shown again."}
          error={fieldError(state, "clientSecret")}
        />
        <TextAreaField
          label="Allowed email domains"
          name="domains"
          rows={3}
          required
          defaultValue={connection?.domains.join("\n")}
          hint="The part of an email address after @, like example.com. Separate them with commas, spaces or new lines."
          error={fieldError(state, "domains")}
        />
        {withRole && (
          <SelectField
            label="Default role for new members"
            name="defaultRole"
            defaultValue={role}
            hint="What someone gets the first time they sign in through the provider; owners can change it later."
            error={fieldError(state, "defaultRole")}
          >
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </SelectField>
        )}
        <label className="flex items-center gap-2 self-start text-sm sm:col-span-2">
          <input type="checkbox" name="enabled" defaultChecked={connection?.enabled ?? true} className={focusRing} />
          Enabled: users with an email address in these domains can sign in through the identity provider
        </label>
        <div className="sm:col-span-2">
          <Button type="submit" disabled={pending} data-testid="sso-save">
            {pending ? "Checking the provider…" : "Save"}
          </Button>
        </div>
      </form>
      <FormMessage state={state} />
    </div>
  );
}
