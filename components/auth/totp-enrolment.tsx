"use client";

import Link from "next/link";
import { Button, buttonClass } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

/**
 * Scan (or type) the secret, confirm with a code; the recovery codes are shown this once.
 * qrSvg is markup the server made with the qrcode package from the otpauth URI (no user input).
 */
export function TotpEnrolment({ qrSvg, secret, action }: { qrSvg: string; secret: string; action: FormAction<{ recoveryCodes: string[] }> }) {
  const { state, pending, onSubmit } = useFormAction(action);
  if (state?.ok && state.data) {
    return (
      <div className="space-y-4" data-testid="mfa-recovery-codes">
        <p className="text-sm font-medium">Two-factor authentication is on.</p>
        <p className="text-sm">
          Save these recovery codes somewhere safe. Each works once if you lose your phone; they are not shown again.
        </p>
        <ul className="grid grid-cols-2 gap-2 font-mono text-sm">
          {state.data.recoveryCodes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ul>
        <Link href="/" className={buttonClass("primary")} data-testid="mfa-continue">
          Continue
        </Link>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <p className="text-sm">Scan this QR code with an authenticator app, then enter the code it shows.</p>
      <div role="img" aria-label="QR code for your authenticator app" className="w-48 bg-white p-1" dangerouslySetInnerHTML={{ __html: qrSvg }} />
      <p className="text-sm">
        Or enter this key by hand: <code className="break-all font-mono" data-testid="mfa-secret">{secret}</code>
      </p>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <FormField
          label="Code from the app"
          name="code"
          id="mfa-enrol-code"
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          data-testid="mfa-enrol-code"
          aria-invalid={state && !state.ok ? true : undefined}
        />
        <FormMessage state={state} />
        <Button type="submit" disabled={pending} data-testid="mfa-enrol-submit">
          {pending ? "Checking…" : "Turn on two-factor authentication"}
        </Button>
      </form>
    </div>
  );
}
