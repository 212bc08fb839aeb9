// Outgoing webhooks against a real receiver on a loopback port that verifies every signature:
// lifecycle events recorded once by the notices sweep, delivered with backoff, given up on, and
// sent only to enabled, subscribed endpoints. Also the customer's "access ready" email.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Actor, systemActor } from "@/lib/audit/actor";
import { db } from "@/lib/db";
import { sendDueNotices } from "@/lib/notices/send-due-notices";
import { addDays } from "@/lib/time/days";
import { removeUser } from "@/lib/users/remove-user";
import { deliverDueWebhooks, MAX_ATTEMPTS } from "@/lib/webhooks/deliver-webhooks";
import { createWebhookEndpoint, setWebhookEndpointEnabled } from "@/lib/webhooks/endpoints";
import type { WebhookEndpointInput } from "@/lib/webhooks/endpoint-input";
import { retryDelivery, sendTestEvent } from "@/lib/webhooks/manual-deliveries";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";
import { closePools } from "../support/close-pools";
import { drainWebhooksOf } from "../support/drain-webhooks";
import { inbox } from "../support/inbox";
import { unique } from "../support/seed";
import { startWebhookReceiver } from "../support/webhook-receiver";

const actor = systemActor("webhooks test");
const receivers: { close: () => Promise<void> }[] = [];
const endpointIds: string[] = [];

afterEach(async () => {
  // Endpoints of one test must not collect the next test's events; other files' endpoints are theirs.
  await db.webhookEndpoint.deleteMany({ where: { id: { in: endpointIds.splice(0) } } });
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(closePools);

/** Creates an endpoint that the clean-up after the test removes. */
async function endpointAt(url: string, input: Omit<WebhookEndpointInput, "url"> = {}, by: Actor = actor) {
  const endpoint = await createWebhookEndpoint({ actor: by, input: { url, ...input } });
  endpointIds.push(endpoint.id);
  return endpoint;
}

async function receiverWithEndpoint(answers?: number[], input: Omit<WebhookEndpointInput, "url"> = {}, by: Actor = actor) {
  const receiver = await startWebhookReceiver(answers);
  receivers.push(receiver);
  const endpoint = await endpointAt(receiver.url, input, by);
  receiver.state.secret = endpoint.secret;
  return { receiver, endpoint };
}

/** A plain server on a loopback port (allowed here: 127.0.0.1 only) that counts the connections it gets. */
async function countingServer(answer: (response: ServerResponse) => void = (response) => response.writeHead(200).end()) {
  const state = { connections: 0, requests: 0 };
  const server = createServer((request, response) => {
    state.requests += 1;
    request.resume();
    answer(response);
  });
  server.on("connection", () => (state.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  receivers.push({ close });
  return { state, port: (server.address() as AddressInfo).port, close };
}

/** A customer with one entitlement that was provisioned at `syncedAt` and grants access. */
async function readyEntitlement({ welcomedAt = null, syncedAt = new Date() }: { welcomedAt?: Date | null; syncedAt?: Date } = {}) {
  const product = await db.product.create({ data: { slug: unique("hooked"), name: unique("Hooked") } });
  const customer = await db.customer.create({ data: { name: unique("Hooked customer"), welcomedAt } });
  const owner = `${unique("owner")}@example.com`;
  await db.user.create({ data: { email: owner, role: "CUSTOMER_OWNER", customerId: customer.id } });
  const entitlement = await db.entitlement.create({
    data: {
      customerId: customer.id,
      productId: product.id,
      source: "API",
      externalRef: unique("order"),
      startsAt: addDays(syncedAt, -1 / 24),
      expiresAt: addDays(syncedAt, 100),
      syncStatus: "SYNCED",
      syncedAt,
    },
  });
  return { product, customer, owner, entitlement };
}

const eventsOf = (entitlementId: string) => db.webhookEvent.findMany({ where: { entitlementId }, orderBy: { createdAt: "asc" }, select: { type: true } });

describe("webhooks", () => {
  it("record each lifecycle event once however often and however concurrently the sweep runs, and deliver it signed", async () => {
    const { receiver, endpoint: { id: endpointId } } = await receiverWithEndpoint();
    // Not welcomed yet: the pass welcomes the customer once (no separate ready notice), and the
    // vendor's systems hear of it too.
    const { product, customer, owner, entitlement } = await readyEntitlement();
    await Promise.all([sendDueNotices(), sendDueNotices(), sendDueNotices()]);
    await sendDueNotices();
    expect(await eventsOf(entitlement.id)).toEqual([{ type: "entitlement.ready" }]);
    expect((await inbox(owner)).map((m) => m.subject)).toEqual([`Your access to ${product.name} is ready`]);

    await Promise.all([deliverDueWebhooks(), deliverDueWebhooks()]);
    await drainWebhooksOf(endpointId);
    await deliverDueWebhooks();
    const got = receiver.state.received.filter((e) => (e.data.entitlement as { id: string }).id === entitlement.id);
    expect(receiver.state.rejected).toBe(0);
    expect(got).toHaveLength(1);
    const [event] = got;
    expect(event!.type).toBe("entitlement.ready");
    expect(event!.headers["pullgate-event-id"]).toBe(event!.id);
    expect(event!.headers["pullgate-event-type"]).toBe("entitlement.ready");
    expect(event!.data.entitlement).toMatchObject({
      id: entitlement.id,
      status: "ACTIVE",
      kind: "STANDARD",
      product: product.slug,
      customer: { id: customer.id, name: customer.name, email: owner },
      expiresAt: entitlement.expiresAt.toISOString(),
      accessEndsAt: entitlement.expiresAt.toISOString(),
      externalRef: entitlement.externalRef,
      source: "API",
    });

    // Its end: one revoked event, and the expiry warnings of the term one each.
    await sendDueNotices(addDays(new Date(), 95));
    await Promise.all([sendDueNotices(addDays(new Date(), 95.5)), sendDueNotices(addDays(new Date(), 95.5))]);
    await db.entitlement.update({ where: { id: entitlement.id }, data: { status: "REVOKED", endedAt: new Date(), endedReason: "refund" } });
    await Promise.all([sendDueNotices(), sendDueNotices()]);
    // (The expiring event was recorded at a simulated later time, so the order is by type.)
    expect((await eventsOf(entitlement.id)).map((e) => e.type).sort()).toEqual(["entitlement.expiring", "entitlement.ready", "entitlement.revoked"]);
    const expiring = await db.webhookEvent.findFirstOrThrow({ where: { entitlementId: entitlement.id, type: "entitlement.expiring" } });
    expect(expiring.data).toMatchObject({ daysLeft: 5, offsetDays: 7 });
  });

  it("send a failed delivery again after the backoff, and deliver it when the receiver recovers", async () => {
    const { receiver, endpoint } = await receiverWithEndpoint([500, 200]);
    const t0 = new Date();
    const first = await sendTestEvent(endpoint.id, t0);
    expect(first.outcome).toMatchObject({ status: "PENDING", httpStatus: 500 });
    expect(first.message).toBe("Not delivered (HTTP 500); it will be retried.");

    expect(await deliverDueWebhooks(new Date(t0.getTime() + 30_000))).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.state.received).toHaveLength(1);
    expect(await deliverDueWebhooks(new Date(t0.getTime() + 61_000))).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.state.received.map((e) => e.type)).toEqual(["webhook.test", "webhook.test"]);
    expect(receiver.state.received[1]!.id).toBe(receiver.state.received[0]!.id);
    const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 2, lastStatus: 200, lastError: null });
  });

  it("serve each endpoint in order and leave a failing one alone for the rest of the pass", async () => {
    const dead = await receiverWithEndpoint([500]);
    const healthy = await receiverWithEndpoint([200]);
    const now = new Date();
    for (const n of [1, 2, 3]) await recordWebhookEvent({ type: "entitlement.ready", key: null, entitlementId: null, data: { n } }, now);
    expect(await deliverDueWebhooks(now)).toEqual({ delivered: 3, retrying: 1, failed: 0 });
    expect(healthy.receiver.state.received.map((e) => e.data.n)).toEqual([1, 2, 3]);
    expect(dead.receiver.state.received.map((e) => e.data.n)).toEqual([1]);
    const untried = await db.webhookDelivery.count({ where: { endpointId: dead.endpoint.id, attempts: 0, status: "PENDING" } });
    expect(untried).toBe(2);
  });

  it("hold up no endpoint behind another's backlog", async () => {
    const dead = await receiverWithEndpoint([500]);
    const now = new Date();
    // More due deliveries for the dead endpoint than one pass takes, all older than the healthy one's.
    for (let n = 0; n < 60; n++) await recordWebhookEvent({ type: "entitlement.ready", key: null, entitlementId: null, data: { n } }, new Date(now.getTime() - 60_000 + n));
    const healthy = await receiverWithEndpoint([200]);
    await recordWebhookEvent({ type: "entitlement.ready", key: null, entitlementId: null, data: { n: "latest" } }, now);
    await deliverDueWebhooks(now);
    expect(healthy.receiver.state.received.map((e) => e.data.n)).toEqual(["latest"]);
    expect(dead.receiver.state.received).toHaveLength(1);
  });

  it("give up after the last attempt, about a day later, and deliver on a retry by hand", async () => {
    const { receiver, endpoint } = await receiverWithEndpoint([500]);
    const t0 = new Date();
    await sendTestEvent(endpoint.id, t0);
    let delivery = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    while (delivery.status === "PENDING") {
      await deliverDueWebhooks(delivery.nextAttemptAt);
      delivery = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    }
    expect(delivery).toMatchObject({ status: "FAILED", attempts: MAX_ATTEMPTS, lastStatus: 500, lastError: "HTTP 500" });
    expect(receiver.state.received).toHaveLength(MAX_ATTEMPTS);
    const hours = (delivery.lastAttemptAt!.getTime() - t0.getTime()) / 3_600_000;
    expect(hours).toBeGreaterThan(20);
    expect(hours).toBeLessThan(30);
    // Failed stays failed: the sweep leaves it alone.
    expect(await deliverDueWebhooks(addDays(t0, 10))).toEqual({ delivered: 0, retrying: 0, failed: 0 });

    receiver.state.answers = [204];
    expect((await retryDelivery(delivery.id, addDays(t0, 2))).message).toBe("Delivered (HTTP 204).");
    await expect(retryDelivery(delivery.id)).rejects.toThrow(/not failed/);
  });

  it("take over a delivery whose worker died, only after the claim timeout", async () => {
    const { receiver, endpoint } = await receiverWithEndpoint([500, 200]);
    const t0 = new Date();
    await sendTestEvent(endpoint.id, t0);
    const due = new Date(t0.getTime() + 61_000);
    // A worker claimed the retry and died.
    await db.webhookDelivery.updateMany({ where: { endpointId: endpoint.id }, data: { claimedAt: due } });
    expect(await deliverDueWebhooks(new Date(due.getTime() + 60_000))).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(await deliverDueWebhooks(new Date(due.getTime() + 3 * 60_000))).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.state.received).toHaveLength(2);
  });

  it("send nothing to disabled endpoints or for event types an endpoint did not choose", async () => {
    const all = await receiverWithEndpoint();
    const revokedOnly = await receiverWithEndpoint([200], { scope: "chosen", eventTypes: ["entitlement.revoked"] });
    const disabled = await receiverWithEndpoint();
    await setWebhookEndpointEnabled({ actor, id: disabled.endpoint.id, enabled: false });
    const { entitlement } = await readyEntitlement();
    await sendDueNotices();
    await deliverDueWebhooks();
    const about = (r: typeof all) => r.receiver.state.received.filter((e) => (e.data.entitlement as { id: string }).id === entitlement.id).map((e) => e.type);
    expect(about(all)).toEqual(["entitlement.ready"]);
    expect(about(revokedOnly)).toEqual([]);
    expect(about(disabled)).toEqual([]);
    await expect(sendTestEvent(disabled.endpoint.id)).rejects.toThrow(/Enable the endpoint/);

    await db.entitlement.update({ where: { id: entitlement.id }, data: { status: "REVOKED", endedAt: new Date(), endedReason: "refund" } });
    await sendDueNotices();
    await deliverDueWebhooks();
    expect(about(all)).toEqual(["entitlement.ready", "entitlement.revoked"]);
    expect(about(revokedOnly)).toEqual(["entitlement.revoked"]);
    expect(about(disabled)).toEqual([]);
  });

  it("keep an endpoint enabled and delivering after the team member who added it is removed", async () => {
    const staff = (role: "VENDOR_ADMIN" | "VENDOR_OWNER") => db.user.create({ data: { email: `${unique("staff")}@example.com`, role } });
    const [admin, owner] = await Promise.all([staff("VENDOR_ADMIN"), staff("VENDOR_OWNER")]);
    const actorOf = (user: { id: string; email: string }): Actor => ({ type: "USER", id: user.id, label: user.email });
    const { receiver, endpoint } = await receiverWithEndpoint([200], {}, actorOf(admin));

    await removeUser({ actor: actorOf(owner), customerId: null, userId: admin.id });

    expect(await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ enabled: true, createdById: null });
    expect((await sendTestEvent(endpoint.id)).outcome).toMatchObject({ status: "DELIVERED", httpStatus: 200 });
    expect(receiver.state.received.map((e) => e.type)).toEqual(["webhook.test"]);
  });

  it("refuse to send to a host that resolves to an internal address, saying only that, and connect nowhere", async () => {
    const inside = await countingServer();
    // A name (checked when sending, as DNS can change) and an address written before it was checked.
    const byName = await endpointAt(`https://localhost:${inside.port}/hooks`);
    const mapped = await endpointAt("https://hooks.example.com/x");
    await db.webhookEndpoint.update({ where: { id: mapped.id }, data: { url: `http://[::ffff:127.0.0.1]:${inside.port}/hooks` } });
    for (const endpoint of [byName, mapped]) {
      const sent = await sendTestEvent(endpoint.id);
      expect(sent.message).toBe("Not delivered (address not allowed); it will be retried.");
      expect(sent.outcome).toMatchObject({ status: "PENDING", httpStatus: null, error: "address not allowed" });
    }
    expect(await deliverDueWebhooks(new Date(Date.now() + 61_000))).toEqual({ delivered: 0, retrying: 2, failed: 0 });
    expect(inside.state.connections).toBe(0);
    const stored = await db.webhookDelivery.findMany({ where: { endpointId: { in: [byName.id, mapped.id] } }, select: { lastError: true, lastStatus: true } });
    expect(stored).toEqual([
      { lastError: "address not allowed", lastStatus: null },
      { lastError: "address not allowed", lastStatus: null },
    ]);
  });

  it("store and answer a failure's kind only, never the network's detail", async () => {
    const gone = await countingServer();
    await gone.close();
    const endpoint = await endpointAt(`http://127.0.0.1:${gone.port}/hooks`);
    const sent = await sendTestEvent(endpoint.id);
    // Not ECONNREFUSED and the address, which would tell which internal ports are open.
    expect(sent.message).toBe("Not delivered (could not connect); it will be retried.");
    expect(sent.outcome?.error).toBe("could not connect");
    expect(await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } })).toMatchObject({ lastError: "could not connect", lastStatus: null });
  });

  it("not follow a redirect, and report it as such", async () => {
    const target = await countingServer();
    const redirector = await countingServer((response) => response.writeHead(302, { Location: `http://127.0.0.1:${target.port}/hooks` }).end());
    const endpoint = await endpointAt(`http://127.0.0.1:${redirector.port}/hooks`);
    const sent = await sendTestEvent(endpoint.id);
    expect(sent.message).toBe("Not delivered (redirect not followed); it will be retried.");
    expect(await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } })).toMatchObject({ lastStatus: 302, lastError: "redirect not followed" });
    expect(redirector.state.requests).toBe(1);
    expect(target.state.connections).toBe(0);
  });

  it.each([
    ["http://hooks.example.com/pullgate", /must start with https:\/\//],
    ["ftp://hooks.example.com/pullgate", /must start with https:\/\//],
    ["http://localhost:8080/hooks", /must start with https:\/\//],
    ["https://127.0.0.2/hooks", /must not point to a private, loopback or other internal address/],
    ["https://[::1]:8080/hooks", /must not point to/],
    ["https://[::ffff:7f00:1]/hooks", /must not point to/],
    ["https://0x7f.2/hooks", /must not point to/],
    ["https://167772161/hooks", /must not point to/],
    ["https://192.168.1.20/hooks", /must not point to/],
    ["https://100.64.0.1/hooks", /must not point to/],
    ["https://169.254.169.254/latest/meta-data/", /must not point to/],
    ["https://[fd00:ec2::254]/latest/meta-data/", /must not point to/],
    ["https://[fe80::1]/hooks", /must not point to/],
    ["hooks.example.com/pullgate", /must be a full address/],
    ["https://user:secret@hooks.example.com/pullgate", /must not contain a user name or password/],
    ["", /URL is required/],
  ])("refuse the URL %j with a clear error and store nothing", async (url, message) => {
    // Other files create endpoints meanwhile: only these addresses count.
    const stored = () => db.webhookEndpoint.count({ where: { url: { in: [url, "https://hooks.example.com/x"] } } });
    const before = await stored();
    await expect(createWebhookEndpoint({ actor, input: { url } })).rejects.toThrow(message);
    await expect(createWebhookEndpoint({ actor, input: { url: "https://hooks.example.com/x", scope: "chosen", eventTypes: [] } })).rejects.toThrow(
      /Choose at least one event type/,
    );
    expect(await stored()).toBe(before);
  });

  it("take https to public hosts, and http or an internal address only to the hosts allowed for testing, with the secret sealed at rest", async () => {
    for (const url of ["https://hooks.example.com/pullgate", "https://[2606:4700::1111]:8443/h", "https://localhost:8080/h", "http://127.0.0.1/h"]) {
      const created = await endpointAt(url);
      const stored = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: created.id } });
      expect(stored.url).toBe(url);
      expect(stored.secretCiphertext).not.toContain(created.secret);
    }
    expect(await db.auditEvent.count({ where: { action: "webhook_endpoint.created", data: { path: ["url"], equals: "https://[2606:4700::1111]:8443/h" } } })).toBeGreaterThan(0);
  });
});

describe("access ready notice", () => {
  it("goes once per entitlement for access that came after the welcome, never for what the welcome announced", async () => {
    const welcomedAt = new Date();
    // The first product, provisioned just before the welcome email went: announced by it.
    const first = await readyEntitlement({ welcomedAt, syncedAt: new Date(welcomedAt.getTime() - 1000) });
    await sendDueNotices();
    await sendDueNotices();
    expect(await inbox(first.owner)).toEqual([]);
    expect(await eventsOf(first.entitlement.id)).toEqual([{ type: "entitlement.ready" }]);

    // A second product for the same customer, later.
    const product = await db.product.create({ data: { slug: unique("second"), name: "Acme Second" } });
    const later = new Date(welcomedAt.getTime() + 3_600_000);
    await db.entitlement.create({
      data: { customerId: first.customer.id, productId: product.id, source: "ADMIN", startsAt: welcomedAt, expiresAt: addDays(later, 100), syncStatus: "SYNCED", syncedAt: later },
    });
    await Promise.all([sendDueNotices(later), sendDueNotices(later)]);
    await sendDueNotices(later);
    const mails = await inbox(first.owner);
    expect(mails.map((m) => m.subject)).toEqual(["Your access to Acme Second is ready"]);
    expect(mails[0]!.text).toContain("/portal");
  });
});
