"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { isSsoFailureCode, SSO_FAILURES } from "@/lib/auth/sso/sso-failure-messages";

/**
 * Asks /api/sso/start for the provider's address (it sets this browser's binding cookie), then
 * goes there. A failure at the callback comes back as ?sso=<code> on the sign-in page (`failure`).
 */
export function SsoStartForm({ failure }: { failure?: string }) {
  const [message, setMessage] = useState(failure);
  const [pending, setPending] = useState(false);

  async function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    try {
      const res = await fetch("/api/sso/start", { method: "POST", body: new FormData(event.currentTarget) });
      const body = (await res.json()) as { url?: string; sso?: string };
      if (res.ok && body.url) {
        window.location.assign(body.url);
        return;
      }
      setMessage(isSsoFailureCode(body.sso) ? SSO_FAILURES[body.sso] : SSO_FAILURES.unavailable);
    } catch {
      setMessage(SSO_FAILURES.unavailable);
    }
    setPending(false);
  }

  return (
    <div className="space-y-3">
      <form onSubmit={start} className="space-y-4" noValidate data-testid="sso-start">
        <FormField label="Work email" name="email" id="sso-email" type="email" autoComplete="email" required data-testid="sso-email" aria-invalid={message ? true : undefined} />
        {message && (
          <p role="alert" className="text-sm text-red-800 dark:text-red-200" data-testid="sso-failure">
            {message}
          </p>
        )}
        <Button type="submit" variant="secondary" disabled={pending} className="w-full" data-testid="sso-submit">
          {pending ? "Continuing…" : "Continue with single sign-on"}
        </Button>
      </form>
      <form onSubmit={start}>
        <input type="hidden" name="team" value="vendor" />
        <Button type="submit" variant="secondary" disabled={pending} className="w-full" data-testid="sso-team">
          Vendor team: sign in with the team&apos;s provider
        </Button>
      </form>
    </div>
  );
}
