import type { Metadata } from "next";
import { AuthShell } from "@/components/auth/auth-shell";
import { SsoSignIn } from "@/components/auth/sso-sign-in";

export const metadata: Metadata = { title: "Signing in", robots: { index: false } };

/** Where the identity provider's callback sends the browser to finish signing in. */
export default function SsoFinishPage() {
  return (
    <AuthShell>
      <SsoSignIn />
    </AuthShell>
  );
}
