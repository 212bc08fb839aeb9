import type { Metadata } from "next";
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
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 px-6 py-12">
      <div>
        <p className="text-lg font-bold text-indigo-700 dark:text-indigo-300">Pullgate</p>
        <h1 className="mt-2 text-2xl font-bold">Sign in</h1>
      </div>
      <LinkSignIn token={param(token) ?? null} />
    </main>
  );
}
