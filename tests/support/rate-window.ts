import { SIGN_IN_RATE_LIMIT } from "@/lib/auth/sign-in-rate-limit";

/** The sign-in counters' windows are fixed: attempts that straddled one's end would count in two. */
export async function awayFromSignInWindowEnd(marginMs = 60_000) {
  const left = SIGN_IN_RATE_LIMIT.windowMs - (Date.now() % SIGN_IN_RATE_LIMIT.windowMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 100));
}
