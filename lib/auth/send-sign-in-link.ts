import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { sendMail } from "@/lib/mail/send-mail";
import { newSecretToken } from "./tokens";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Kind = "invitation" | "sign-in";

const copy: Record<Kind, { subject: string; intro: string; validity: string; ttlMs: number }> = {
  invitation: {
    subject: "Your software downloads are ready",
    intro: "You have been given access to container images. Sign in to see your credentials and pull instructions.",
    validity: "This link works once and expires in 72 hours. You can request a new one on the sign-in page at any time.",
    ttlMs: 72 * 3_600_000,
  },
  "sign-in": {
    subject: "Your sign-in link",
    intro: "Use this link to sign in to your downloads.",
    validity: "This link works once and expires in 15 minutes. If you did not ask for it, ignore this email.",
    ttlMs: 15 * 60_000,
  },
};

// At most this many links per user in a quarter hour, so nobody can flood an inbox.
const MAX_LINKS = 5;
const WINDOW_MS = 15 * 60_000;

/**
 * Emails a one-time sign-in link. Only a hash of the token is stored. Returns false (and sends
 * nothing) when the user has asked for too many links recently.
 */
export async function sendSignInLink(user: { id: string; email: string }, kind: Kind) {
  const recent = await db.loginToken.count({
    where: { userId: user.id, createdAt: { gt: new Date(Date.now() - WINDOW_MS) } },
  });
  if (recent >= MAX_LINKS) return false;
  const { token, hash } = newSecretToken();
  const text = copy[kind];
  await db.loginToken.create({
    data: { userId: user.id, tokenHash: hash, expiresAt: new Date(Date.now() + text.ttlMs) },
  });
  const url = new URL("/login/link", env().NEXTAUTH_URL);
  url.searchParams.set("token", token);
  const link = url.toString();
  await sendMail({
    to: user.email,
    subject: text.subject,
    text: `${text.intro}\n\nSign in: ${link}\n\n${text.validity}\n`,
    html: `<p>${escapeHtml(text.intro)}</p><p><a href="${escapeHtml(link)}">Sign in to your downloads</a></p><p style="color:#555">${escapeHtml(text.validity)}</p>`,
  });
  return true;
}
