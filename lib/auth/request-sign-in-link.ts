import { z } from "zod";
import { AppError } from "@/lib/errors";
import { enqueueSignInLink } from "@/lib/jobs/enqueue";
import { log } from "@/lib/log";
import type { SignInContext } from "./sign-in-context";
import { countSignInAttempt } from "./sign-in-rate-limit";

/**
 * Emails a sign-in link to the address if it belongs to a user. Whether it does is never
 * revealed: the request does the same work for every address (it counts the attempt and queues
 * the address, never reading the user table; see sendRequestedSignInLink), and unknown addresses,
 * rate-limited ones and delivery failures all answer the same.
 */
export async function requestSignInLink(email: string, context: SignInContext) {
  const parsed = z.email().safeParse(email.trim().toLowerCase());
  if (!parsed.success) throw new AppError("INVALID_INPUT", "Enter a valid email address.");
  try {
    if (await countSignInAttempt(parsed.data, context.ip)) await enqueueSignInLink(parsed.data);
  } catch (error) {
    log().error({ err: error }, "sign-in link request failed");
  }
}
