import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

let transport: Transporter | undefined;

export type Mail = { to: string; subject: string; text: string; html: string };

/** Text placed into an email's HTML part. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// A mail server that stops answering fails that message (lifecycle notices are retried by a later
// pass) instead of holding the whole pass for nodemailer's default of ten minutes per message.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export async function sendMail(mail: Mail) {
  transport ??= nodemailer.createTransport({ url: env().SMTP_URL, ...TIMEOUTS });
  await transport.sendMail({ from: env().MAIL_FROM, ...mail });
}
