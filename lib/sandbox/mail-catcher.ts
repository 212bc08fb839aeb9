import http from "node:http";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type CaughtMail = { to: string; from: string; subject: string; text: string; html: string; date: string };

/**
 * A local SMTP server that keeps every message, with a JSON inbox over HTTP:
 * GET /messages?to=ADDRESS lists them, DELETE /messages empties the inbox.
 */
export async function startMailCatcher(opts: { smtpPort: number; inboxPort: number }) {
  const inbox: CaughtMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((m) => {
        const address = (a: typeof m.to) => (Array.isArray(a) ? a.map((x) => x.text).join(", ") : (a?.text ?? ""));
        inbox.push({
          to: address(m.to),
          from: address(m.from),
          subject: m.subject ?? "",
          text: m.text ?? "",
          html: typeof m.html === "string" ? m.html : "",
          date: new Date().toISOString(),
        });
        callback();
      }, callback);
    },
  });
  const web = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/health") return res.end("ok");
    if (url.pathname !== "/messages") {
      res.statusCode = 404;
      return res.end();
    }
    if (req.method === "DELETE") inbox.length = 0;
    const to = url.searchParams.get("to")?.toLowerCase();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(inbox.filter((m) => !to || m.to.toLowerCase().includes(to))));
  });
  await new Promise<void>((resolve) => smtp.listen(opts.smtpPort, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => web.listen(opts.inboxPort, "127.0.0.1", resolve));
  return {
    smtpUrl: `smtp://127.0.0.1:${opts.smtpPort}`,
    inboxUrl: `http://127.0.0.1:${opts.inboxPort}/messages`,
    messages: () => [...inbox],
    stop: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}
