"use server";

import { headers } from "next/headers";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { verifySecondFactor } from "@/lib/auth/mfa/verify-second-factor";
import { pendingSecondFactor } from "@/lib/auth/session";
import { signInContext } from "@/lib/auth/sign-in-context";
import { AppError } from "@/lib/errors";
import { text } from "@/app/form-values";

export async function verifySecondFactorAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  return runAction<undefined>(async () => {
    const pending = await pendingSecondFactor();
    if (pending?.pending !== "verify") throw new AppError("UNAUTHENTICATED", "Sign in first");
    await verifySecondFactor(pending.user, pending.sid, text(formData, "code") ?? "", signInContext(await headers()));
    return { message: "Verified. Opening your page…" };
  });
}
