import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedEvent = { id: string; type: string; createdAt: string; data: Record<string, unknown>; headers: IncomingHttpHeaders };

const TOLERANCE_SECONDS = 300;

/** Verifies a Pullgate-Signature header as the README tells receivers to. */
export function verifySignature(secret: string, header: string | undefined, body: string, nowSeconds = Math.floor(Date.now() / 1000)) {
  const parts = Object.fromEntries((header ?? "").split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > TOLERANCE_SECONDS || !parts.v1) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${t}.${body}`).digest("hex"));
  const given = Buffer.from(parts.v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A vendor's webhook receiver on an ephemeral loopback port: it answers each request with the next
 * of `answers` (the last one repeats), and keeps what it received with a valid signature apart
 * from what it rejected.
 */
export async function startWebhookReceiver(answers: number[] = [200]) {
  const state = { secret: "", answers, received: [] as ReceivedEvent[], rejected: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const valid =
        request.method === "POST" &&
        request.headers["user-agent"] === "Pullgate-Webhooks/1" &&
        verifySignature(state.secret, request.headers["pullgate-signature"] as string | undefined, body);
      if (!valid) {
        state.rejected += 1;
        response.writeHead(400).end();
        return;
      }
      const event = JSON.parse(body) as Omit<ReceivedEvent, "headers">;
      state.received.push({ ...event, headers: request.headers });
      const status = state.answers.length > 1 ? state.answers.shift()! : state.answers[0]!;
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
