import { env } from "@/lib/env";
import { accessEndsAt } from "@/lib/lifecycle/entitlement-lifecycle";
import { escapeHtml, type Mail } from "@/lib/mail/send-mail";
import { daysUntil } from "@/lib/time/days";

/** The customer's notices, and the vendor's (failed provisioning, an expiry). */
export type NoticeKind = "ready" | `expiring-${number}` | "expired" | "revoked" | "vendor-failed" | "vendor-expired";

export const isVendorNotice = (kind: NoticeKind) => kind.startsWith("vendor-");

export type NoticeSubject = {
  entitlementId: string;
  customerName: string;
  syncError: string | null;
  productName: string;
  expiresAt: Date;
  gracePeriodDays: number;
  renewalUrl: string | null;
};

const day = (d: Date) => `${d.toISOString().slice(0, 10)} (UTC)`;

function copy(kind: NoticeKind, s: NoticeSubject, now: Date): { subject: string; lines: string[] } {
  const ends = accessEndsAt(s.expiresAt, s.gracePeriodDays);
  if (kind === "vendor-failed") {
    return {
      subject: `Provisioning failed: ${s.customerName}, ${s.productName}`,
      lines: [`AWS could not be brought in line with ${s.customerName}'s entitlement to ${s.productName}: ${s.syncError ?? "unknown error"}. The engine keeps retrying; re-provision it from its page once the cause is fixed.`],
    };
  }
  if (kind === "vendor-expired") {
    return {
      subject: `Expired: ${s.customerName}, ${s.productName}`,
      lines: [`${s.customerName}'s access to ${s.productName} ended on ${day(ends)} and was revoked in AWS.`],
    };
  }
  const grace = s.gracePeriodDays > 0 ? ` A ${s.gracePeriodDays}-day grace period keeps your access until ${day(ends)}.` : "";
  if (kind === "ready") {
    return {
      subject: `Your access to ${s.productName} is ready`,
      lines: [
        `You can now pull the images of ${s.productName}. Your access runs until ${day(s.expiresAt)}.${grace}`,
        "Your downloads page has your credentials and the commands to log in and pull.",
      ],
    };
  }
  if (kind === "expired") {
    return {
      subject: `Your access to ${s.productName} has ended`,
      lines: [`Your access to ${s.productName} ended on ${day(ends)}. Its images can no longer be pulled with your credentials; containers already running keep running.`],
    };
  }
  if (kind === "revoked") {
    return {
      subject: `Your access to ${s.productName} was revoked`,
      lines: [`Your vendor revoked your access to ${s.productName}. Its images can no longer be pulled with your credentials.`],
    };
  }
  const days = Math.max(1, daysUntil(s.expiresAt, now));
  return {
    subject: days === 1 ? `Your access to ${s.productName} expires tomorrow` : `Your access to ${s.productName} expires in ${days} days`,
    lines: [
      `Your access to ${s.productName} expires on ${day(s.expiresAt)}.${grace}`,
      "After that, logging in to the registry and pulling its images stop working; containers already running keep running.",
    ],
  };
}

/** The notice as text and readable HTML, with the renewal link when the vendor set one. */
export function noticeEmail(to: string, kind: NoticeKind, subject: NoticeSubject, now: Date): Mail {
  const { subject: title, lines } = copy(kind, subject, now);
  const vendor = isVendorNotice(kind);
  const page = new URL(vendor ? `/admin/entitlements/${subject.entitlementId}` : "/portal", env().NEXTAUTH_URL).toString();
  const pageLabel = vendor ? "The entitlement" : "Your downloads";
  // Renewal is for access that is ending or has ended.
  const renew = (kind === "expired" || kind.startsWith("expiring-")) && subject.renewalUrl ? subject.renewalUrl : null;
  const text = [...lines, ...(renew ? [`Renew: ${renew}`] : []), `${pageLabel}: ${page}`].join("\n\n");
  const link = (href: string, label: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
  const html = [
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    ...(renew ? [`<p>${link(renew, `Renew ${subject.productName}`)}</p>`] : []),
    `<p>${link(page, pageLabel)}</p>`,
  ].join("");
  return { to, subject: title, text: `${text}\n`, html };
}
