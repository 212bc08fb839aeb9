import http from "node:http";
import type { Server } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type CaughtMail = { to: string; from: string; subject: string; text: string; html: string; date: string };

/**
 * A local SMTP server that keeps every message, with a JSON inbox over HTTP:
 * GET /messages?to=ADDRESS lists them, DELETE /messages empties the inbox. A port left out (or 0)
 * is chosen by the system when listening, so two catchers never race for one.
 */
export async function startMailCatcher(opts: { smtpPort?: number; inboxPort?: number } = {}) {
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
  // SMTPServer listens through its own net.Server; both are bound the same way.
  const smtpPort = await listen(smtp.server, () => smtp.listen(opts.smtpPort ?? 0, "127.0.0.1"));
  const inboxPort = await listen(web, () => web.listen(opts.inboxPort ?? 0, "127.0.0.1"));
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    inboxUrl: `http://127.0.0.1:${inboxPort}/messages`,
    messages: () => [...inbox],
    stop: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}

function listen(server: Server, start: () => void) {
  return new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", () => {
      server.off("error", reject);
      resolve((server.address() as { port: number }).port);
    });
    start();
  });
}
