// The admin audit log on PostgreSQL: each filter alone and combined, keyset pages in both
// directions, and the CSV export route with its authorization.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as exportCsv } from "@/app/(admin)/admin/audit/export/route";
import { systemActor, type Actor } from "@/lib/audit/actor";
import { auditQuerySchema, cursorParam, knownAuditActions, listAuditEvents } from "@/lib/audit/list-audit-events";
import { recordAuditEvent, type AuditInput } from "@/lib/audit/record-audit-event";
import { db, type Db } from "@/lib/db";
import { closePools } from "../support/close-pools";
import { unique } from "../support/seed";
import { signInAs } from "../support/signed-in-session";

/**
 * recordAuditEvent stamps events with the current time; these tests need history on chosen days,
 * so the recorder runs against a client that sets `at` on the insert it makes.
 */
function clockedAt(at: Date) {
  return db.$extends({
    query: { auditEvent: { create: ({ args, query }) => query({ ...args, data: { ...args.data, at } }) } },
  }) as unknown as Db;
}
const recordAt = (iso: string, input: AuditInput) => recordAuditEvent(clockedAt(new Date(iso)), input);

// Days in 2003: no other test writes events then, so date-bounded queries see only these.
const DAYS = { from: "2003-03-01", to: "2003-03-03" };

async function seed() {
  // The suffix keeps this marker from being a prefix of a later one (counter 1 of 12).
  const u = `${unique("audit")}-seed`;
  const alpha = await db.customer.create({ data: { name: `Alpha Audit ${u}` } });
  const bravo = await db.customer.create({ data: { name: `Bravo Audit ${u}` } });
  const viewer = await db.user.create({ data: { email: `viewer-${u}@example.com`, role: "VENDOR_VIEWER" } });
  const customerOwner = await db.user.create({ data: { email: `owner-${u}@example.com`, role: "CUSTOMER_OWNER", customerId: alpha.id } });
  const product = await db.product.create({ data: { slug: unique("audit-product"), name: `Audit product ${u}` } });
  const entitlement = await db.entitlement.create({
    data: { customerId: alpha.id, productId: product.id, source: "ADMIN", expiresAt: new Date("2004-03-01T00:00:00Z") },
  });

  const alice = { type: "USER", id: viewer.id, label: viewer.email } satisfies Actor;
  // A key label is typed by a vendor admin: exactly the kind of text a spreadsheet would run.
  const key = { type: "API_KEY", id: unique("key"), label: `=1+1 Billing ${u}` } satisfies Actor;
  const job = systemActor(`revoke-expired ${u}`);

  await recordAt("2003-03-01T00:00:00.000Z", { actor: alice, action: "entitlement.granted", customerId: alpha.id, entitlementId: entitlement.id, data: { source: "ADMIN" } });
  await recordAt("2003-03-01T23:59:59.999Z", { actor: key, action: "entitlement.revoked", customerId: bravo.id, data: { reason: 'Contract "ended", early' } });
  await recordAt("2003-03-02T00:00:00.000Z", { actor: alice, action: "aws.user.created", customerId: alpha.id });
  // Two events in the same millisecond: the id breaks the tie.
  await recordAt("2003-03-03T12:00:00.000Z", { actor: job, action: "aws.user.deleted", customerId: bravo.id });
  await recordAt("2003-03-03T12:00:00.000Z", { actor: key, action: "entitlement.granted" });
  // Just outside the range on both sides.
  await recordAt("2003-02-28T23:59:59.999Z", { actor: alice, action: "entitlement.granted", customerId: alpha.id });
  await recordAt("2003-03-04T00:00:00.000Z", { actor: alice, action: "entitlement.revoked", customerId: alpha.id });

  const inRange = await db.auditEvent.findMany({
    where: { at: { gte: new Date("2003-03-01T00:00:00Z"), lt: new Date("2003-03-04T00:00:00Z") } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
  const [granted, revoked, created, deleted, keyGranted] = inRange;
  return { u, alpha, bravo, viewer, customerOwner, entitlement, alice, key, job, inRange, e: { granted: granted!, revoked: revoked!, created: created!, deleted: deleted!, keyGranted: keyGranted! } };
}

let s: Awaited<ReturnType<typeof seed>>;

beforeAll(async () => {
  s = await seed();
});

afterAll(async () => {
  signInAs(null);
  await closePools();
});

const list = (input: Record<string, string>) => listAuditEvents(auditQuerySchema.parse(input));
const ids = (rows: { id: bigint }[]) => rows.map((r) => r.id);

describe("the audit log's filters", () => {
  it("seeds five events in the range, in insertion order", () => {
    expect(s.inRange).toHaveLength(5);
    expect(s.inRange.map((e) => e.action)).toEqual(["entitlement.granted", "entitlement.revoked", "aws.user.created", "aws.user.deleted", "entitlement.granted"]);
  });

  it("finds an actor by part of its label, in any case, or by its id exactly", async () => {
    const { e } = s;
    const byLabel = await list({ actor: s.alice.label.slice(0, -4).toUpperCase(), ...DAYS });
    expect(ids(byLabel.events)).toEqual(ids([e.created, e.granted]));
    const byId = await list({ actor: s.viewer.id, ...DAYS });
    expect(ids(byId.events)).toEqual(ids([e.created, e.granted]));
    // An id must match whole: a fragment of it is neither an id nor part of a label.
    expect((await list({ actor: s.viewer.id.slice(0, -2), ...DAYS })).events).toEqual([]);
    expect(ids((await list({ actor: `Billing ${s.u}` })).events)).toEqual(ids([e.keyGranted, e.revoked]));
  });

  it("matches actions by prefix only, and takes every filter's text literally, with no LIKE wildcards", async () => {
    const { e } = s;
    expect(ids((await list({ action: "entitlement.", ...DAYS })).events)).toEqual(ids([e.keyGranted, e.revoked, e.granted]));
    expect(ids((await list({ action: "entitlement.revoked", ...DAYS })).events)).toEqual(ids([e.revoked]));
    expect(ids((await list({ action: "aws.", ...DAYS })).events)).toEqual(ids([e.deleted, e.created]));
    expect((await list({ action: "user.", ...DAYS })).events).toEqual([]);
    // LIKE's "_" and "%" are plain characters here.
    expect((await list({ action: "aws_user", ...DAYS })).events).toEqual([]);
    expect((await list({ action: "%user", ...DAYS })).events).toEqual([]);
    expect((await list({ actor: "%", ...DAYS })).events).toEqual([]);
    expect((await list({ customer: "_", ...DAYS })).events).toEqual([]);
    expect((await list({ action: "aws\\", ...DAYS })).events).toEqual([]);
  });

  it("finds a customer by part of its name, in any case, or by its id exactly", async () => {
    const { e } = s;
    expect(ids((await list({ customer: s.bravo.name.toLowerCase() })).events)).toEqual(ids([e.deleted, e.revoked]));
    expect(ids((await list({ customer: s.alpha.id, ...DAYS })).events)).toEqual(ids([e.created, e.granted]));
    expect(ids((await list({ customer: `Audit ${s.u}`, ...DAYS })).events)).toEqual(ids([e.deleted, e.created, e.revoked, e.granted]));
  });

  it("takes from and to as whole UTC days, both inclusive", async () => {
    const { e } = s;
    expect(ids((await list({ from: "2003-03-01", to: "2003-03-01" })).events)).toEqual(ids([e.revoked, e.granted]));
    expect(ids((await list({ from: "2003-03-02", to: "2003-03-03" })).events)).toEqual(ids([e.keyGranted, e.deleted, e.created]));
    const onlyFrom = await list({ from: "2003-03-03", actor: s.u });
    expect(onlyFrom.events.map((r) => r.at.toISOString())).toEqual(["2003-03-04T00:00:00.000Z", "2003-03-03T12:00:00.000Z", "2003-03-03T12:00:00.000Z"]);
    const onlyTo = await list({ to: "2003-02-28", actor: s.u });
    expect(onlyTo.events.map((r) => r.at.toISOString())).toEqual(["2003-02-28T23:59:59.999Z"]);
  });

  it("combines filters", async () => {
    const { e } = s;
    expect(ids((await list({ actor: `billing ${s.u}`, customer: s.bravo.name, action: "entitlement." })).events)).toEqual(ids([e.revoked]));
    expect(ids((await list({ actor: s.viewer.id, action: "entitlement.", ...DAYS })).events)).toEqual(ids([e.granted]));
    expect(ids((await list({ actor: s.alice.label, from: "2003-03-02", to: "2003-03-02" })).events)).toEqual(ids([e.created]));
    expect((await list({ actor: s.alice.label, customer: s.bravo.id })).events).toEqual([]);
  });

  it("returns the customer and entitlement the table links to", async () => {
    const [row] = (await list({ actor: s.viewer.id, action: "entitlement.granted", ...DAYS })).events;
    expect(row).toMatchObject({ action: "entitlement.granted", entitlementId: s.entitlement.id, customer: { id: s.alpha.id, name: s.alpha.name }, data: { source: "ADMIN" } });
  });

  it("treats malformed values as absent instead of failing", () => {
    const parsed = auditQuerySchema.parse({ actor: "", from: "2003-02-30", to: "yesterday", before: "abc", after: "1_9999999999999999999", action: "x".repeat(201) });
    expect(Object.values(parsed).filter((v) => v !== undefined)).toEqual([]);
  });

  it("suggests every action name recorded", async () => {
    expect(await knownAuditActions()).toEqual(expect.arrayContaining(["aws.user.created", "aws.user.deleted", "entitlement.granted", "entitlement.revoked"]));
  });
});

describe("the audit log's pages", () => {
  it("pages through 120 events with many equal timestamps, older and back newer, without gaps or repeats", async () => {
    const pager = systemActor(`${unique("audit")}-pager`);
    // Three events per millisecond, so ties fall across the page boundaries.
    for (let i = 0; i < 120; i++) {
      await recordAt(new Date(Date.UTC(2003, 3, 1) + Math.floor(i / 3)).toISOString(), { actor: pager, action: "test.page", data: { n: i } });
    }
    const all = ids(await db.auditEvent.findMany({ where: { actorLabel: pager.label }, orderBy: [{ at: "desc" }, { id: "desc" }], select: { id: true } }));
    expect(all).toHaveLength(120);

    const first = await list({ actor: pager.label });
    expect(first.newer).toBeNull();
    const second = await list({ actor: pager.label, before: cursorParam(first.older!) });
    const third = await list({ actor: pager.label, before: cursorParam(second.older!) });
    expect([first, second, third].map((p) => p.events.length)).toEqual([50, 50, 20]);
    expect(third.older).toBeNull();
    expect([...ids(first.events), ...ids(second.events), ...ids(third.events)]).toEqual(all);

    const backToSecond = await list({ actor: pager.label, after: cursorParam(third.newer!) });
    expect(ids(backToSecond.events)).toEqual(ids(second.events));
    expect(backToSecond.older).toEqual(second.older);
    const backToFirst = await list({ actor: pager.label, after: cursorParam(backToSecond.newer!) });
    expect(ids(backToFirst.events)).toEqual(ids(first.events));
    expect(backToFirst.newer).toBeNull();
  });

  it("shows the newest page when asked for events newer than the newest", async () => {
    const page = await list({ actor: s.alice.label, after: cursorParam({ at: new Date("2003-03-04T00:00:00Z"), id: 0n }) });
    expect(page.events).toHaveLength(4);
    expect(page.newer).toBeNull();
  });

  it("offers a newer page from a page past the oldest event", async () => {
    const page = await list({ actor: s.alice.label, before: cursorParam({ at: new Date("2001-01-01T00:00:00Z"), id: 1n }) });
    expect(page).toEqual({ events: [], newer: { at: new Date("2001-01-01T00:00:00Z"), id: 1n }, older: null });
  });
});

describe("the audit log's CSV export", () => {
  const request = (query: Record<string, string>) => new Request(`http://127.0.0.1:3999/admin/audit/export?${new URLSearchParams(query)}`);

  it("refuses a signed-out visitor with 401 and a customer with 403", async () => {
    signInAs(null);
    const anonymous = await exportCsv(request(DAYS));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    signInAs(s.customerOwner);
    const customer = await exportCsv(request(DAYS));
    expect(customer.status).toBe(403);
    expect(await customer.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
  });

  it("gives a read-only viewer every matching event as an RFC 4180 file with formulas neutralised", async () => {
    signInAs(s.viewer);
    const response = await exportCsv(request(DAYS));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="pullgate-audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    const { e, key, job, alice, alpha, bravo, entitlement } = s;
    expect(await response.text()).toBe(
      [
        "id,at,actor type,actor id,actor label,action,customer id,customer name,entitlement id,data",
        `${e.keyGranted.id},2003-03-03T12:00:00.000Z,API_KEY,${key.id},'${key.label},entitlement.granted,,,,`,
        `${e.deleted.id},2003-03-03T12:00:00.000Z,SYSTEM,,${job.label},aws.user.deleted,${bravo.id},${bravo.name},,`,
        `${e.created.id},2003-03-02T00:00:00.000Z,USER,${s.viewer.id},${alice.label},aws.user.created,${alpha.id},${alpha.name},,`,
        `${e.revoked.id},2003-03-01T23:59:59.999Z,API_KEY,${key.id},'${key.label},entitlement.revoked,${bravo.id},${bravo.name},,"{""reason"":""Contract \\""ended\\"", early""}"`,
        `${e.granted.id},2003-03-01T00:00:00.000Z,USER,${s.viewer.id},${alice.label},entitlement.granted,${alpha.id},${alpha.name},${entitlement.id},"{""source"":""ADMIN""}"`,
        "",
      ].join("\r\n"),
    );
  });

  it("applies the same filters as the page", async () => {
    signInAs(s.viewer);
    const text = await (await exportCsv(request({ ...DAYS, customer: s.alpha.name, action: "aws." }))).text();
    expect(text.split("\r\n").slice(1, -1).map((line) => line.split(",")[0])).toEqual([String(s.e.created.id)]);
  });

  it("streams an export larger than one batch without gaps or repeats", async () => {
    signInAs(s.viewer);
    const bulk = `${unique("audit")}-bulk`;
    const count = 2_345;
    // Volume only, so written in one statement; three events per millisecond again.
    await db.auditEvent.createMany({
      data: Array.from({ length: count }, (_, n) => ({
        at: new Date(Date.UTC(2003, 4, 1) + Math.floor(n / 3)),
        actorType: "SYSTEM" as const,
        actorLabel: bulk,
        action: "test.bulk",
        data: { n },
      })),
    });
    const text = await (await exportCsv(request({ actor: bulk }))).text();
    const lines = text.split("\r\n").slice(1, -1);
    const expected = await db.auditEvent.findMany({ where: { actorLabel: bulk }, orderBy: [{ at: "desc" }, { id: "desc" }], select: { id: true } });
    expect(lines).toHaveLength(count);
    expect(lines.map((line) => line.split(",")[0])).toEqual(expected.map((r) => String(r.id)));
  });
});
