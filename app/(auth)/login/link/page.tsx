import type { Metadata } from "next";
import { AuthShell } from "@/components/auth/auth-shell";
import { LinkSignIn } from "@/components/auth/link-sign-in";
import { param, type SearchParams } from "@/app/form-values";

export const metadata: Metadata = { title: "Sign in with your link", robots: { index: false } };

/**
 * Rendering this page never consumes the token: mail scanners fetch links ahead of people, so the
 * one-time token is spent only when the button is pressed.
 */
export default async function LinkPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  return (
    <AuthShell>
      <LinkSignIn token={param(token) ?? null} />
    </AuthShell>
  );
}
