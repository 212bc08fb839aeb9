import { inject } from "vitest";

export type CaughtMail = { subject: string; text: string; html?: string };

/** The mails the local catcher received for one address, oldest first. */
export async function inbox(to: string): Promise<CaughtMail[]> {
  const response = await fetch(`${inject("integration").inboxUrl}?to=${encodeURIComponent(to)}`);
  return response.json();
}
