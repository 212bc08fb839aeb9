"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { linkClass } from "@/components/ui/styles";

type Status = "ready" | "working" | "failed";

export function LinkSignIn({ token }: { token: string | null }) {
  const router = useRouter();
  const [status, setStatus] = useState<Status>(token ? "ready" : "failed");

  async function consume() {
    if (!token) return;
    setStatus("working");
    try {
      const res = await signIn("email-link", { token, redirect: false });
      if (res?.ok && !res.error) {
        router.replace("/");
        return;
      }
    } catch {
      // Network failures read the same as a spent link: the way forward is a new link either way.
    }
    setStatus("failed");
  }

  if (status === "failed") {
    return (
      <Card>
        <p role="alert" className="font-medium text-red-800 dark:text-red-200">
          This link has expired or was already used.
        </p>
        <p className="mt-3 text-sm">
          <Link href="/login" className={linkClass}>
            Back to sign in
          </Link>{" "}
          to request a new link.
        </p>
      </Card>
    );
  }

  return (
    <Card>
      <p className="mb-4 text-sm">Press the button to finish signing in. The link works once.</p>
      <Button onClick={consume} disabled={status === "working"} data-testid="link-signin" className="w-full">
        {status === "working" ? "Signing in…" : "Sign in"}
      </Button>
    </Card>
  );
}
