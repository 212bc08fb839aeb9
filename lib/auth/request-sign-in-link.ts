import { AppError } from "@/lib/errors";
import { enqueueSignInLink } from "@/lib/jobs/enqueue";
import { log } from "@/lib/log";
import { emailOrNull } from "@/lib/validation/strict-input";
import type { SignInContext } from "./sign-in-context";
import { countSignInAttempt } from "./sign-in-rate-limit";

/**
 * Emails a sign-in link to the address if it belongs to a user. Whether it does is never
 * revealed: the request does the same work for every address (it counts the attempt and queues
 * the address, never reading the user table; see sendRequestedSignInLink), and unknown addresses,
 * rate-limited ones and delivery failures all answer the same.
 */
export async function requestSignInLink(email: string, context: SignInContext) {
  const address = emailOrNull(email);
  if (!address) throw new AppError("INVALID_INPUT", "Enter a valid email address.");
  try {
    if (await countSignInAttempt(address, context.ip)) await enqueueSignInLink(address);
  } catch (error) {
    log().error({ err: error }, "sign-in link request failed");
  }
}
