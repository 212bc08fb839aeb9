"use server";

import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { requireSignedIn, userActor } from "@/lib/auth/session";
import { signOutEverywhere } from "@/lib/auth/sign-out-everywhere";

/**
 * Ends the signed-in user's sessions in every browser, vendor staff and customers alike (a
 * read-only viewer may end its own sessions); the button then signs this browser out as well.
 */
export async function signOutEverywhereAction(): Promise<ActionResult> {
  return runAction<undefined>(async () => {
    const user = await requireSignedIn();
    await signOutEverywhere({ actor: userActor(user), userId: user.id });
  });
}
