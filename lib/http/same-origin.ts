import { AppError } from "@/lib/errors";

/**
 * Refuses a state-changing request another site's page made: its Origin must be the host the
 * request was sent to, as Next checks for server actions (a route handler gets no such check).
 */
export function assertSameOrigin(req: Request) {
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host;
  let originHost: string | undefined;
  try {
    originHost = origin ? new URL(origin).host : undefined;
  } catch {
    // Not a URL: refused below like a missing one.
  }
  if (originHost !== host) throw new AppError("FORBIDDEN", "This request must come from Pullgate's own pages");
}
