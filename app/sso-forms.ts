import type { SsoConnectionInput } from "@/lib/auth/sso/connection-input";
import { text } from "@/app/form-values";

// Shared by every action that saves or removes a single sign-on connection: the vendor team's, a
// customer owner's for their organisation, a vendor writer's for a customer.

/** The form's fields as the schema reads them; the schema checks the role and the switch. */
export const ssoInput = (formData: FormData): SsoConnectionInput => ({
  issuer: text(formData, "issuer") ?? "",
  clientId: text(formData, "clientId") ?? "",
  clientSecret: text(formData, "clientSecret") ?? "",
  domains: text(formData, "domains") ?? "",
  defaultRole: text(formData, "defaultRole") as SsoConnectionInput["defaultRole"],
  enabled: formData.get("enabled") === "on" ? "on" : "off",
});

export const ssoSavedMessage = ({ created }: { created: boolean }, then = "") =>
  `${created ? "Single sign-on is set up. Register the redirect URI at the identity provider, then sign in through it once to check it." : "Single sign-on settings saved."}${then ? ` ${then}` : ""}`;

export const ssoRemovedMessage = "Single sign-on is removed. Users keep their accounts and sign in with an emailed link, a password or a passkey.";
