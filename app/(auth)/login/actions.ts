"use server";

import { z } from "zod";
import type { ActionResult } from "@/lib/actions/action-result";
import { sendSignInLink } from "@/lib/auth/send-sign-in-link";
import { db } from "@/lib/db";
import { text } from "@/app/form-values";

const NEUTRAL = "If that email has access, a link is on its way. Check your inbox.";

/**
 * Emails a one-time sign-in link. The answer is the same whether or not the address exists, and
 * delivery failures are only logged, so the response never tells which emails have accounts.
 */
export async function requestSignInLink(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const parsed = z.email().safeParse(text(formData, "email")?.toLowerCase());
  if (!parsed.success) {
    return { ok: false, error: "Enter a valid email address.", fieldErrors: { email: "Enter a valid email address." } };
  }
  try {
    const user = await db.user.findUnique({ where: { email: parsed.data }, select: { id: true, email: true } });
    if (user) await sendSignInLink(user, "sign-in");
  } catch (error) {
    console.error("sign-in link request failed:", error);
  }
  return { ok: true, message: NEUTRAL };
}
