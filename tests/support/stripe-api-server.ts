import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The webhook signing secret the portal is configured with in tests. */
export const STRIPE_TEST_WEBHOOK_SECRET = "whsec_integration_test_secret";

/**
 * Stands in for api.stripe.com in tests (Stripe offers no local server): the Stripe SDK reads
 * the objects that tests stored with PUT at the same path, and an unknown path answers as Stripe
 * does, with a 404 resource_missing error.
 */
export async function startStripeApiServer() {
  const objects = new Map<string, string>();
  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0]!;
    if (req.method === "PUT") {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        objects.set(path, body);
        res.writeHead(204).end();
      });
      return;
    }
    const stored = objects.get(path);
    res.writeHead(stored ? 200 : 404, { "content-type": "application/json", "request-id": "req_test" });
    res.end(stored ?? JSON.stringify({ error: { type: "invalid_request_error", code: "resource_missing", message: `No such object: ${path}` } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
