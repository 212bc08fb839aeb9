import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { TotpEnrolment } from "@/components/auth/totp-enrolment";
import { TotpRemovalForm } from "@/components/auth/totp-removal-form";
import { Card } from "@/components/ui/card";
import { SignOutButton } from "@/components/ui/sign-out-button";
import { focusRing } from "@/components/ui/styles";
import { mfaStatusView } from "@/lib/auth/mfa/enrol-totp";
import { sessionState, signInPath } from "@/lib/auth/session";
import { confirmTotpEnrolmentAction, removeTotpAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Two-factor authentication" };

/** The user's own second factor; also where a rule sends a user to enrol before signing in. */
export default async function SecurityPage() {
  const state = await sessionState();
  if (!state || state.pending === "verify") redirect(await signInPath());
  const view = await mfaStatusView(state.user);
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
