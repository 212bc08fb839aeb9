"use client";

import { signOut } from "next-auth/react";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/action-result";
import { buttonClass } from "./button";
import { FormMessage } from "./form-message";

/** Ends the user's sessions in every browser through `action`, then signs this one out too. */
export function SignOutEverywhereButton({ action }: { action: () => Promise<ActionResult> }) {
  const [state, setState] = useState<ActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const onClick = () =>
    startTransition(async () => {
      const result = await action();
      if (result.ok) await signOut({ callbackUrl: "/login" });
      else setState(result);
    });
  return (
    <>
      <button type="button" onClick={onClick} disabled={pending} className={buttonClass("secondary", "sm")}>
        {pending ? "Signing out…" : "Sign out everywhere"}
      </button>
      <FormMessage state={state} />
    </>
  );
}
