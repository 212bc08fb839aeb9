"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

/** The vendor vouches that a customer's email domain is the customer's, so its users are routed to the customer's provider. */
export function SsoVerifyButton({ action, domain }: { action: FormAction; domain: string }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="inline-flex flex-wrap items-center gap-2" noValidate>
      <input type="hidden" name="domain" value={domain} />
      <Button type="submit" variant="secondary" size="sm" disabled={pending} data-testid={`sso-verify-${domain}`}>
        {pending ? "Verifying…" : "Verify"}
        <span className="sr-only"> {domain}</span>
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
