// API keys on PostgreSQL through the v1 route handlers: read-only and read-write scopes, expiry,
// keys owned by the user who made them (revoked when that user leaves the team or loses the role),
// keys from before owners, and what the admin's API keys page lists.
import { afterAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { listApiKeys } from "@/lib/api-keys/api-keys-view";
import { type Actor, systemActor } from "@/lib/audit/actor";
import { hashToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db";
import type { UserRole } from "@/lib/generated/prisma/enums";
import { changeStaffRole } from "@/lib/users/change-staff-role";
import { removeUser } from "@/lib/users/remove-user";
import { closePools } from "../support/close-pools";
import { inAYear, unique } from "../support/seed";
import { v1Client } from "../support/v1-client";

afterAll(closePools);

const system = systemActor("api keys test");
const call = v1Client(() => {
  throw new Error("pass the key to each call");
});
const works = async (key: string) => (await call("/products", { auth: key })).status;

const staff = async (role: UserRole) => {
  const user = await db.user.create({ data: { email: `${unique(role.toLowerCase())}@example.com`, role } });
  return { user, actor: { type: "USER", id: user.id, label: user.email } satisfies Actor };
};
const revocations = (id: string) => db.apiKey.findUniqueOrThrow({ where: { id }, select: { revokedAt: true, revokedReason: true } });
const revokedEvents = (id: string) => db.auditEvent.findMany({ where: { action: "api_key.revoked", data: { path: ["id"], equals: id } } });

describe("scopes", () => {
  it("makes a read-only key unless read-write is chosen", async () => {
    const key = await createApiKey({ actor: system, input: { label: unique("default") } });
    expect(key.scope).toBe("READ");
  });

  it("lets a read-only key GET but refuses its POSTs with 403 INSUFFICIENT_SCOPE and changes nothing", async () => {
    const reader = await createApiKey({ actor: system, input: { label: unique("reader"), scope: "READ" } });
    const product = await db.product.create({ data: { slug: unique("scoped"), name: unique("Scoped") } });
    const entitlement = await db.entitlement.create({
      data: {
        customer: { create: { name: unique("Scoped customer") } },
        product: { connect: { id: product.id } },
        source: "ADMIN",
        startsAt: new Date(),
        expiresAt: new Date(inAYear()),
      },
    });
    const before = { customers: await db.customer.count(), entitlements: await db.entitlement.count() };

    expect(await works(reader.key)).toBe(200);
    const grant = await call("/entitlements", {
      method: "POST",
      auth: reader.key,
      headers: { "idempotency-key": unique("idem") },
      body: { customerEmail: `${unique("buyer")}@example.com`, productSlug: product.slug, expiresAt: inAYear() },
    });
    expect(grant.status).toBe(403);
    expect(grant.body.error).toMatchObject({ code: "INSUFFICIENT_SCOPE", message: expect.stringMatching(/read-only/) });
    const revoke = await call("/entitlements/{id}/revoke", { method: "POST", auth: reader.key, params: { id: entitlement.id } });
    expect(revoke.status).toBe(403);

    expect({ customers: await db.customer.count(), entitlements: await db.entitlement.count() }).toEqual(before);
    expect(await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).toMatchObject({ status: "ACTIVE" });
    expect(await db.idempotencyKey.count({ where: { apiKeyId: reader.id } })).toBe(0);
  });
});

describe("expiry", () => {
  it("refuses an expiry in the past or more than a year ahead", async () => {
    const now = new Date();
    for (const expiresAt of [new Date(now.getTime() - 1000), new Date(now.getTime() + 367 * 86_400_000)]) {
      await expect(createApiKey({ actor: system, input: { label: unique("expiry"), expiresAt }, now })).rejects.toMatchObject({
        code: "INVALID_INPUT",
        fieldErrors: [expect.objectContaining({ path: "expiresAt" })],
      });
    }
  });

  it("answers 401 once the key has expired, as for a revoked key", async () => {
    const lastWeek = new Date(Date.now() - 7 * 86_400_000);
    const expired = await createApiKey({ actor: system, input: { label: unique("expired"), expiresAt: new Date(Date.now() - 1000) }, now: lastWeek });
    const live = await createApiKey({ actor: system, input: { label: unique("live"), expiresAt: new Date(Date.now() + 86_400_000) } });

    expect(await works(expired.key)).toBe(401);
    expect(await works(live.key)).toBe(200);
  });
});

describe("owners", () => {
  it("revokes a user's keys, with the reason and an audit event, when they are removed from the team", async () => {
    const [{ user: admin, actor: adminActor }, { actor: owner }] = await Promise.all([staff("VENDOR_ADMIN"), staff("VENDOR_OWNER")]);
    const key = await createApiKey({ actor: adminActor, input: { label: unique("owned"), scope: "READ_WRITE" } });
    const others = await createApiKey({ actor: owner, input: { label: unique("others") } });
    expect(await works(key.key)).toBe(200);

    await removeUser({ actor: owner, customerId: null, userId: admin.id });

    expect(await works(key.key)).toBe(401);
    expect(await revocations(key.id)).toMatchObject({ revokedAt: expect.any(Date), revokedReason: "Its owner was removed from the team" });
    expect(await revokedEvents(key.id)).toEqual([
      expect.objectContaining({ actorId: owner.id, data: { id: key.id, label: key.label, reason: "Its owner was removed from the team" } }),
    ]);
    expect(await works(others.key)).toBe(200);
  });

  it("revokes a user's keys when they become a viewer, and keeps them for a role that may still make keys", async () => {
    const [{ user: admin, actor: adminActor }, { user: secondOwner, actor: secondOwnerActor }, { actor: owner }] = await Promise.all([
      staff("VENDOR_ADMIN"),
      staff("VENDOR_OWNER"),
      staff("VENDOR_OWNER"),
    ]);
    const adminKey = await createApiKey({ actor: adminActor, input: { label: unique("admin-key") } });
    const ownerKey = await createApiKey({ actor: secondOwnerActor, input: { label: unique("owner-key") } });

    await changeStaffRole({ actor: owner, userId: secondOwner.id, input: { role: "VENDOR_ADMIN" } });
    expect(await works(ownerKey.key)).toBe(200);

    await changeStaffRole({ actor: owner, userId: admin.id, input: { role: "VENDOR_VIEWER" } });
    expect(await works(adminKey.key)).toBe(401);
    expect(await revocations(adminKey.id)).toMatchObject({ revokedReason: "Its owner's role no longer allows API keys" });
    expect(await revokedEvents(adminKey.id)).toHaveLength(1);
  });

  it("refuses a key to a viewer", async () => {
    const { actor } = await staff("VENDOR_VIEWER");
    await expect(createApiKey({ actor, input: { label: unique("viewer") } })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("stops a key whose owner was deleted by any other path", async () => {
    const { user, actor } = await staff("VENDOR_ADMIN");
    const key = await createApiKey({ actor, input: { label: unique("orphan") } });
    await db.user.delete({ where: { id: user.id } });

    expect(await works(key.key)).toBe(401);
    expect((await listApiKeys()).find((k) => k.id === key.id)).toMatchObject({ status: "owner-removed", ownerEmail: null });
  });

  it("keeps a key from before owners working, listed without an owner", async () => {
    const token = `pgk_${unique("legacy")}`;
    const legacy = await db.apiKey.create({
      data: { label: unique("legacy"), prefix: token.slice(0, 10), hash: hashToken(token), scope: "READ_WRITE" },
    });

    expect(await works(token)).toBe(200);
    expect((await listApiKeys()).find((k) => k.id === legacy.id)).toMatchObject({ status: "active", ownerEmail: null });
  });
});

describe("the API keys page", () => {
  it("lists each key's access, owner, last use and expiry", async () => {
    const { user, actor } = await staff("VENDOR_OWNER");
    const expiresAt = new Date(Date.now() + 30 * 86_400_000);
    const key = await createApiKey({ actor, input: { label: unique("listed"), scope: "READ_WRITE", expiresAt } });
    expect((await listApiKeys()).find((k) => k.id === key.id)).toMatchObject({ lastUsedAt: null });

    expect(await works(key.key)).toBe(200);

    expect((await listApiKeys()).find((k) => k.id === key.id)).toMatchObject({
      scopeLabel: "Read and write",
      ownerEmail: user.email,
      expiresAt,
      lastUsedAt: expect.any(Date),
      status: "active",
    });
  });
});
