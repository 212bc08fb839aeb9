"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useEffect, useState } from "react";
import { Card } from "@/components/ui/card";
import { linkClass } from "@/components/ui/styles";

/**
 * Finishes a single sign-on the callback verified: the session is made by next-auth's "sso"
 * provider, which spends the attempt this browser's binding cookie names. Runs once on arrival.
 */
export function SsoSignIn() {
  const router = useRouter();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    signIn("sso", { redirect: false })
      .then((res) => {
        if (cancelled) return;
        if (res?.ok && !res.error) router.replace("/");
        else setFailed(true);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [router]);

  if (failed) {
    return (
      <Card>
        <p role="alert" className="font-medium text-red-800 dark:text-red-200">
          This sign-in expired or was already used.
        </p>
        <p className="mt-3 text-sm">
          <Link href="/login" className={linkClass}>
            Back to sign in
          </Link>{" "}
          to start again.
        </p>
      </Card>
    );
  }
  return (
    <Card>
      <p role="status" className="text-sm" data-testid="sso-finishing">
        Signing you in…
      </p>
    </Card>
  );
}
