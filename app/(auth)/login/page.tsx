import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { LinkRequestForm } from "@/components/auth/link-request-form";
import { PasskeySignIn } from "@/components/auth/passkeys";
import { PasswordForm } from "@/components/auth/password-form";
import { SsoStartForm } from "@/components/auth/sso-start-form";
import { Card } from "@/components/ui/card";
import { currentUser, pendingSecondFactor, signInPath } from "@/lib/auth/session";
import { isSsoFailureCode, SSO_FAILURES } from "@/lib/auth/sso/sso-failure-messages";
import { param, type SearchParams } from "@/app/form-values";
import { passkeySignInOptionsAction, requestSignInLink } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

// next-auth sends failed callbacks here with ?error=...; people get one plain sentence instead of a code.
const errorText = (code: string | undefined) =>
  code ? "Sign-in did not work. Check your details and try again, or ask for a sign-in link." : undefined;

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  if (await currentUser()) redirect("/");
  if (await pendingSecondFactor()) redirect(await signInPath());
  const { error, sso } = await searchParams;
  const ssoCode = param(sso);

  return (
    <AuthShell description="Access your container images and credentials.">
      <Card>
        <h2 className="mb-4 text-base font-semibold">With your password</h2>
        <PasswordForm initialError={errorText(param(error))} />
      </Card>
      <Card>
        <h2 className="mb-1 text-base font-semibold">Email me a sign-in link</h2>
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-300">No password needed. The link works once.</p>
        <LinkRequestForm action={requestSignInLink} />
      </Card>
      <Card>
        <h2 className="mb-1 text-base font-semibold">With single sign-on</h2>
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-300">Through your organisation&apos;s identity provider.</p>
        <SsoStartForm failure={isSsoFailureCode(ssoCode) ? SSO_FAILURES[ssoCode] : undefined} />
      </Card>
      <Card>
        <h2 className="mb-1 text-base font-semibold">With a passkey</h2>
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-300">If you added one to your account, on this device or a security key.</p>
        <PasskeySignIn optionsAction={passkeySignInOptionsAction} />
      </Card>
    </AuthShell>
  );
}
