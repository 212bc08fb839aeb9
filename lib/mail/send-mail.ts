import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

let transport: Transporter | undefined;

export type Mail = { to: string; subject: string; text: string; html: string };

export async function sendMail(mail: Mail) {
  transport ??= nodemailer.createTransport(env().SMTP_URL);
  await transport.sendMail({ from: env().MAIL_FROM, ...mail });
}
