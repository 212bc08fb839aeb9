import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { PasskeySecondFactor } from "@/components/auth/passkeys";
import { SecondFactorForm } from "@/components/auth/second-factor-form";
import { Card } from "@/components/ui/card";
import { SignOutButton } from "@/components/ui/sign-out-button";
import { secondFactorMethods } from "@/lib/auth/mfa/second-factor-methods";
import { currentUser, pendingSecondFactor, signInPath } from "@/lib/auth/session";
import { passkeySecondFactorOptionsAction, verifyPasskeySecondFactorAction, verifySecondFactorAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Two-step sign-in" };

export default async function SecondFactorPage() {
  if (await currentUser()) redirect("/");
  const pending = await pendingSecondFactor();
  if (pending?.pending !== "verify") redirect(await signInPath());
  const methods = await secondFactorMethods(pending.user.id);

  return (
    <AuthShell title="Two-step sign-in" description={`Signed in as ${pending.user.email}. Confirm it is you.`}>
      {methods.passkey && (
        <Card>
          <PasskeySecondFactor optionsAction={passkeySecondFactorOptionsAction} verifyAction={verifyPasskeySecondFactorAction} />
        </Card>
      )}
      {methods.totp && (
        <Card>
          <SecondFactorForm action={verifySecondFactorAction} />
        </Card>
      )}
      <div>
        <SignOutButton />
      </div>
    </AuthShell>
  );
}
