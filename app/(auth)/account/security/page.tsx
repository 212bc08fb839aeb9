import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { PasskeyRegistration, PasskeyRemoveForm } from "@/components/auth/passkeys";
import { TotpEnrolment } from "@/components/auth/totp-enrolment";
import { TotpRemovalForm } from "@/components/auth/totp-removal-form";
import { Card } from "@/components/ui/card";
import { SignOutButton } from "@/components/ui/sign-out-button";
import { focusRing } from "@/components/ui/styles";
import { mfaStatusView } from "@/lib/auth/mfa/enrol-totp";
import { listPasskeys } from "@/lib/auth/passkeys/register-passkey";
import { sessionState, signInPath } from "@/lib/auth/session";
import { confirmTotpEnrolmentAction, passkeyRegistrationOptionsAction, registerPasskeyAction, removePasskeyAction, removeTotpAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Two-factor authentication" };

/** The user's own second factor; also where a rule sends a user to enrol before signing in. */
export default async function SecurityPage() {
  const state = await sessionState();
  if (!state || state.pending === "verify") redirect(await signInPath());
  const view = await mfaStatusView(state.user);
  const passkeys = await listPasskeys(state.user.id);
  const enrolling = state.pending === "enrol";

  return (
    <AuthShell
      title="Two-factor authentication"
      description={
        enrolling
          ? "Your organisation requires two-factor authentication. Set it up to continue."
          : "A code from an authenticator app, asked for after your password or sign-in link."
      }
    >
      <Card>
        {view.enabled ? (
          <div className="space-y-4">
            <p className="text-sm" data-testid="mfa-enabled">
              Two-factor authentication is on. Recovery codes left: {view.recoveryCodesLeft}.
            </p>
            {view.required ? (
              <p className="text-sm">Your organisation requires it, so it cannot be turned off. An owner can reset it if you lose your phone.</p>
            ) : (
              <TotpRemovalForm action={removeTotpAction} />
            )}
          </div>
        ) : (
          <TotpEnrolment qrSvg={view.qrSvg} secret={view.secret} action={confirmTotpEnrolmentAction} />
        )}
      </Card>
      <Card>
        <h2 className="mb-1 text-base font-semibold">Passkeys</h2>
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-300">
          A passkey on this device or a security key: a second factor after your password or link, or a way to sign in on its own.
        </p>
        {passkeys.length > 0 && (
          <ul className="mb-4 space-y-3" data-testid="passkey-list">
            {passkeys.map((p) => (
              <li key={p.id} className="flex items-start justify-between gap-4 text-sm">
                <span>
                  <span className="font-medium">{p.name}</span>
                  <span className="block text-slate-600 dark:text-slate-300">
                    Added {p.createdAt.toISOString().slice(0, 10)}
                    {p.lastUsedAt ? `, last used ${p.lastUsedAt.toISOString().slice(0, 10)}` : ", not used yet"}
                  </span>
                </span>
                <PasskeyRemoveForm passkeyId={p.id} name={p.name} action={removePasskeyAction} />
              </li>
            ))}
          </ul>
        )}
        <PasskeyRegistration optionsAction={passkeyRegistrationOptionsAction} registerAction={registerPasskeyAction} />
      </Card>
      <div className="flex items-center gap-4 text-sm">
        {!enrolling && (
          <Link href="/" className={`underline ${focusRing}`}>
            Back
          </Link>
        )}
        <SignOutButton />
      </div>
    </AuthShell>
  );
}
