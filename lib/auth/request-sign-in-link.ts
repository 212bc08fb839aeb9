import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { sendSignInLink } from "./send-sign-in-link";
import { log } from "@/lib/log";

/**
 * Emails a sign-in link to the address if it belongs to a user. Whether it does is never
 * revealed: unknown addresses, rate-limited ones and delivery failures all answer the same.
 */
export async function requestSignInLink(email: string) {
  const parsed = z.email().safeParse(email.trim().toLowerCase());
  if (!parsed.success) throw new AppError("INVALID_INPUT", "Enter a valid email address.");
  try {
    const user = await db.user.findUnique({ where: { email: parsed.data }, select: { id: true, email: true } });
    if (user) await sendSignInLink(user, "sign-in");
  } catch (error) {
    log().error({ err: error }, "sign-in link request failed");
  }
}
