import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { escapeHtml, sendMail } from "@/lib/mail/send-mail";
import { newSecretToken } from "./tokens";

/**
 * "invitation" welcomes a customer user, "team-invitation" a vendor team member; "welcome" tells a
 * customer that its first product is ready to pull; "new-key" that its access key was replaced.
 */
export type SignInLinkKind = "invitation" | "team-invitation" | "sign-in" | "new-key" | { kind: "welcome"; product: string };

type Copy = { subject: string; intro: string; linkText: string; validity: string; ttlMs: number };

const INVITATION_VALIDITY = "This link works once and expires in 72 hours. You can request a new one on the sign-in page at any time.";
const INVITATION_TTL_MS = 72 * 3_600_000;

const copy: Record<Exclude<SignInLinkKind, object>, Copy> = {
  invitation: {
    subject: "Your software downloads are ready",
    intro: "You have been given access to container images. Sign in to see your credentials and pull instructions.",
    linkText: "Sign in to your downloads",
    validity: INVITATION_VALIDITY,
    ttlMs: INVITATION_TTL_MS,
  },
  "team-invitation": {
    subject: "You have been invited to Pullgate",
    intro: "You have been invited to manage software access in Pullgate. Sign in to see customers, entitlements and products.",
    linkText: "Sign in to Pullgate",
    validity: INVITATION_VALIDITY,
    ttlMs: INVITATION_TTL_MS,
  },
  "new-key": {
    subject: "A new access key is waiting for you",
    intro:
      "Your access key stopped working: its AWS user was removed outside the portal. A new key has been issued in its place. Sign in to copy it and update your registry login; the old key no longer works.",
    linkText: "Sign in to get your new key",
    validity: INVITATION_VALIDITY,
    ttlMs: INVITATION_TTL_MS,
  },
  "sign-in": {
    subject: "Your sign-in link",
    intro: "Use this link to sign in to your downloads.",
    linkText: "Sign in to your downloads",
    validity: "This link works once and expires in 15 minutes. If you did not ask for it, ignore this email.",
    ttlMs: 15 * 60_000,
  },
};

const welcomeCopy = (product: string): Copy => ({
  subject: `Your access to ${product} is ready`,
  intro: `Your access to ${product} is ready. Sign in to see your credentials and pull instructions.`,
  linkText: "Sign in to your downloads",
  validity: INVITATION_VALIDITY,
  ttlMs: INVITATION_TTL_MS,
});

/** At most this many links per user in a quarter hour, so nobody can flood an inbox. */
export const SIGN_IN_LINK_LIMIT = { count: 5, windowMs: 15 * 60_000 };

/**
 * Emails a one-time sign-in link. Only a hash of the token is stored. Returns false (and sends
 * nothing) when the user has asked for too many links recently.
 */
export async function sendSignInLink(user: { id: string; email: string }, kind: SignInLinkKind) {
  const recent = await db.loginToken.count({
    where: { userId: user.id, createdAt: { gt: new Date(Date.now() - SIGN_IN_LINK_LIMIT.windowMs) } },
  });
  if (recent >= SIGN_IN_LINK_LIMIT.count) return false;
  const { token, hash } = newSecretToken();
  const text = typeof kind === "string" ? copy[kind] : welcomeCopy(kind.product);
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
    html: `<p>${escapeHtml(text.intro)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(text.linkText)}</a></p><p style="color:#555">${escapeHtml(text.validity)}</p>`,
  });
  return true;
}

/**
 * The worker's half of a link request (see requestSignInLink): the address is looked up here, off
 * the request path, so how long the request took says nothing about it.
 */
export async function sendRequestedSignInLink(email: string) {
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true } });
  if (user) await sendSignInLink(user, "sign-in");
}
