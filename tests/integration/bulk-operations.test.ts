import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { systemActor, type Actor } from "@/lib/audit/actor";
import { itemCounts } from "@/lib/bulk/bulk-operation-views";
import { cancelBulkOperation } from "@/lib/bulk/cancel-bulk-operation";
import { createBulkOperation, type CreateBulkInput } from "@/lib/bulk/create-bulk-operation";
import { processBulkChunk, resumeBulkOperations } from "@/lib/bulk/process-bulk-operation";
import { bulkResultsCsv } from "@/lib/bulk/results-csv";
import { db } from "@/lib/db";
import { deleteAccessKey } from "@/lib/aws/iam";
import { extendEntitlement } from "@/lib/entitlements/extend-entitlement";
import { grantEntitlement } from "@/lib/entitlements/grant-entitlement";
import { jobEngine } from "@/lib/jobs/boss";
import { handleBulkJob } from "@/lib/worker/handlers";
import { BULK_QUEUE } from "@/lib/jobs/queues";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { closePools } from "../support/close-pools";
import { inAYear, unique } from "../support/seed";

const ctx = inject("integration");
const aws = awsAdmin(ctx);
const system = systemActor("test");
const DAY = 86_400_000;
let admin: Actor;

beforeAll(async () => {
  const user = await db.user.create({ data: { email: `${unique("bulk-admin")}@example.com`, role: "VENDOR_ADMIN" } });
  admin = { type: "USER", id: user.id, label: user.email };
});

afterAll(async () => {
  aws.destroy();
  await closePools();
});

/** `count` new customers, each with an entitlement to one new product; provisioned in AWS when asked. */
async function customers(count: number, { provision = false } = {}) {
  const { repo, slug } = await aws.productOnNewRepository();
  const granted = [];
  for (let i = 0; i < count; i++) {
    const email = `${unique("bulk-customer")}@example.com`;
    const { entitlement } = await grantEntitlement({ actor: system, source: "API", input: { customerEmail: email, productSlug: slug, expiresAt: inAYear() } });
    if (provision) expect(await convergeCustomer(entitlement.customerId, system)).toEqual({ ok: true });
    granted.push({ email, entitlement });
  }
  return { repo, slug, granted, ids: granted.map((g) => g.entitlement.id) };
}

const create = (input: CreateBulkInput) => createBulkOperation({ actor: admin, input });

const items = (operationId: string) =>
  db.bulkOperationItem.findMany({ where: { operationId }, orderBy: { position: "asc" }, select: { input: true, entitlementId: true, status: true, message: true } });

const events = (action: string, entitlementIds: string[]) =>
  Promise.all(entitlementIds.map((entitlementId) => db.auditEvent.count({ where: { action, entitlementId } })));

const bulkEvents = async (operationId: string) =>
  (await db.auditEvent.findMany({ where: { action: { startsWith: "bulk." } }, orderBy: { id: "asc" } }))
    .filter((e) => (e.data as { operationId?: string } | null)?.operationId === operationId)
    .map((e) => e.action);

describe("bulk actions, on PostgreSQL and the AWS emulator", () => {
  it("extends the customers of a CSV, failing only the row of an unknown email", async () => {
    const { slug, granted } = await customers(3, { provision: true });
    const later = new Date(granted[0]!.entitlement.expiresAt.getTime() + 90 * DAY);
    const [a, b, c] = granted;
    // Any letter case in emails and header, a quoted cell, and one row with its own date.
    const ownDate = "2031-06-30";
    const csv = [
      "Email,product,expiresAt",
      `${a!.email},${slug},`,
      `"${b!.email.toUpperCase()}",,${ownDate}`,
      `${c!.email},${slug},`,
      `nobody-${unique("x")}@example.com,${slug},`,
    ].join("\r\n");

    const { operation } = await create({ kind: "EXTEND", expiresAt: later.toISOString(), csv });
    expect((await items(operation.id)).at(-1)).toMatchObject({ status: "FAILED", message: "No customer with this email", entitlementId: null });

    expect(await handleBulkJob(operation.id)).toEqual({ remaining: 0 });
    expect(await itemCounts(operation.id)).toEqual({ total: 4, pending: 0, ok: 3, skipped: 0, failed: 1 });
    expect(await db.bulkOperation.findUniqueOrThrow({ where: { id: operation.id } })).toMatchObject({ status: "DONE", finishedAt: expect.any(Date) });
    const expiries = await db.entitlement.findMany({ where: { id: { in: [a!, b!, c!].map((g) => g.entitlement.id) } }, select: { id: true, expiresAt: true } });
    expect(Object.fromEntries(expiries.map((e) => [e.id, e.expiresAt.toISOString()]))).toEqual({
      [a!.entitlement.id]: later.toISOString(),
      [b!.entitlement.id]: `${ownDate}T00:00:00.000Z`,
      [c!.entitlement.id]: later.toISOString(),
    });
    expect(await events("entitlement.extended", [a!, b!, c!].map((g) => g.entitlement.id))).toEqual([1, 1, 1]);
    // The admin who started it made the changes.
    expect(await db.auditEvent.findFirstOrThrow({ where: { action: "entitlement.extended", entitlementId: a!.entitlement.id } })).toMatchObject({
      actorType: "USER",
      actorId: admin.type === "USER" ? admin.id : null,
    });
    expect(await bulkEvents(operation.id)).toEqual(["bulk.created", "bulk.finished"]);

    const results = (await bulkResultsCsv(operation.id))!.split("\r\n");
    expect(results[0]).toBe("position,input,entitlement id,customer,product,status,message,processed at");
    expect(results[4]).toMatch(/^4,"nobody-[^"]*",,,,FAILED,No customer with this email,\d{4}-/);
    expect(results).toHaveLength(6);
  });

  it("revokes a selection, applying a repeated id once and failing an unknown one, and AWS follows", async () => {
    const { repo, granted, ids } = await customers(2, { provision: true });
    const { operation } = await create({ kind: "REVOKE", reason: "contract ended", ids: `${ids[0]}\n${ids[1]}, ${ids[0]} no-such-entitlement` });
    await handleBulkJob(operation.id);

    expect(await items(operation.id)).toEqual([
      { input: ids[0], entitlementId: ids[0], status: "OK", message: expect.stringMatching(/^Revoked/) },
      { input: ids[1], entitlementId: ids[1], status: "OK", message: expect.stringMatching(/^Revoked/) },
      { input: ids[0], entitlementId: ids[0], status: "SKIPPED", message: "Listed again: applied once" },
      { input: "no-such-entitlement", entitlementId: null, status: "FAILED", message: "No entitlement with this id" },
    ]);
    const revoked = await db.entitlement.findMany({ where: { id: { in: ids } } });
    expect(revoked.map((e) => [e.status, e.endedReason])).toEqual([
      ["REVOKED", "contract ended"],
      ["REVOKED", "contract ended"],
    ]);
    expect(await events("entitlement.revoked", ids)).toEqual([1, 1]);
    for (const { entitlement } of granted) expect(await convergeCustomer(entitlement.customerId, system)).toEqual({ ok: true });
    expect(await probe.principals(repo)).toEqual([]);
  });

  it("re-provisions the customers of a CSV, checking AWS: a key deleted behind the portal's back is replaced", async () => {
    const { slug, granted } = await customers(1, { provision: true });
    const { email, entitlement } = granted[0]!;
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: entitlement.customerId } });
    const [lostKey] = await probe.keyIds(identity.userName);
    await deleteAccessKey(identity.userName, lostKey!);
    const { operation } = await create({ kind: "REPROVISION", csv: `email,product\n${email},${slug}\n` });
    await handleBulkJob(operation.id);

    expect(await items(operation.id)).toEqual([{ input: `${email},${slug}`, entitlementId: entitlement.id, status: "OK", message: "Checked in AWS and converged" }]);
    expect(await events("provisioning.requested", [entitlement.id])).toEqual([1]);
    const keys = await probe.keyIds(identity.userName);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toBe(lostKey);
    expect(await db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).toMatchObject({ syncStatus: "SYNCED" });
  });

  it("resumes after an interruption, even mid-item and with two runs at once, applying each item once", async () => {
    const { ids } = await customers(6);
    const to = new Date(Date.now() + 500 * DAY);
    const { operation } = await create({ kind: "EXTEND", expiresAt: to.toISOString(), ids: ids.join("\n") });

    // One chunk, then the process stops...
    expect(await processBulkChunk(operation.id, { chunkSize: 2 })).toEqual({ remaining: 4 });
    expect(await db.bulkOperation.findUniqueOrThrow({ where: { id: operation.id } })).toMatchObject({ status: "RUNNING", finishedAt: null });
    // ...and the next run died after applying the third item, before recording it.
    const third = await db.bulkOperationItem.findFirstOrThrow({ where: { operationId: operation.id, position: 3 } });
    await db.bulkOperationItem.update({ where: { id: third.id }, data: { claimedAt: new Date() } });
    await extendEntitlement({ actor: admin, entitlementId: third.entitlementId!, input: { expiresAt: to.toISOString() } });

    // After the restart, the job and the sweep's resumption both pick the operation up.
    expect((await Promise.all([handleBulkJob(operation.id), handleBulkJob(operation.id)])).map((r) => r.remaining)).toEqual([0, 0]);
    expect(await handleBulkJob(operation.id)).toEqual({ remaining: 0 });

    expect(await events("entitlement.extended", ids)).toEqual([1, 1, 1, 1, 1, 1]);
    expect((await items(operation.id)).map((i) => i.status)).toEqual(["OK", "OK", "SKIPPED", "OK", "OK", "OK"]);
    expect((await items(operation.id))[2]!.message).toBe(`Already expires at ${to.toISOString()}`);
    expect(await db.bulkOperation.findUniqueOrThrow({ where: { id: operation.id } })).toMatchObject({ status: "DONE" });
    expect(await bulkEvents(operation.id)).toEqual(["bulk.created", "bulk.finished"]);
  });

  it("stops on cancel: items not taken are skipped, the one being applied is finished", async () => {
    const { ids } = await customers(4);
    const { operation } = await create({ kind: "REVOKE", ids: ids.join(" ") });
    await processBulkChunk(operation.id, { chunkSize: 1 });
    // A run has taken the second item and is applying it as the admin cancels.
    await db.bulkOperationItem.updateMany({ where: { operationId: operation.id, position: 2 }, data: { claimedAt: new Date() } });

    expect(await cancelBulkOperation({ actor: admin, operationId: operation.id })).toEqual({ changed: true, skipped: 2 });
    expect(await db.bulkOperation.findUniqueOrThrow({ where: { id: operation.id } })).toMatchObject({ status: "CANCELLED", finishedAt: null });
    expect(await handleBulkJob(operation.id)).toEqual({ remaining: 0 });

    expect((await items(operation.id)).map((i) => [i.status, i.message])).toEqual([
      ["OK", expect.stringMatching(/^Revoked/)],
      ["OK", expect.stringMatching(/^Revoked/)],
      ["SKIPPED", "Cancelled"],
      ["SKIPPED", "Cancelled"],
    ]);
    expect((await db.entitlement.findMany({ where: { id: { in: ids } } })).map((e) => e.status).sort()).toEqual(["ACTIVE", "ACTIVE", "REVOKED", "REVOKED"]);
    expect(await db.bulkOperation.findUniqueOrThrow({ where: { id: operation.id } })).toMatchObject({ status: "CANCELLED", finishedAt: expect.any(Date) });
    expect(await cancelBulkOperation({ actor: admin, operationId: operation.id })).toEqual({ changed: false, skipped: 0 });
    expect(await bulkEvents(operation.id)).toEqual(["bulk.created", "bulk.cancelled"]);
    await expect(cancelBulkOperation({ actor: admin, operationId: "no-such-operation" })).rejects.toThrow(/not found/);
  });

  it("keeps at most one waiting job per operation, however often the sweep resumes it", async () => {
    const { ids } = await customers(1);
    const { operation } = await create({ kind: "REPROVISION", ids: ids[0] });
    await resumeBulkOperations();
    await resumeBulkOperations();
    const { rows } = await (await jobEngine())
      .getDb()
      .executeSql(`SELECT count(*)::int AS waiting FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND state = 'created'`, [BULK_QUEUE, operation.id]);
    expect(rows).toEqual([{ waiting: 1 }]);
    await handleBulkJob(operation.id);
    expect(await db.bulkOperation.findUniqueOrThrow({ where: { id: operation.id } })).toMatchObject({ status: "DONE" });
  });

  it.each<[string, () => CreateBulkInput, RegExp]>([
    ["no targets", () => ({ kind: "REVOKE" }), /Paste entitlement ids or upload a CSV of customers/],
    ["ids and a CSV", () => ({ kind: "REVOKE", ids: "x", csv: "email\na@example.com" }), /not both/],
    ["an unknown action", () => ({ kind: "DELETE", ids: "x" }), /Choose what to do/],
    ["an extension without a date", () => ({ kind: "EXTEND", ids: "x" }), /Choose the new expiry date/],
    ["an extension CSV without any date", () => ({ kind: "EXTEND", csv: "email\na@example.com" }), /Choose the new expiry date, or give the rows an expiresAt column/],
    ["a past date", () => ({ kind: "EXTEND", ids: "x", expiresAt: "2020-01-01T00:00:00Z" }), /must be in the future/],
    ["a CSV without a header", () => ({ kind: "REVOKE", csv: "a@example.com\nb@example.com" }), /Line 1: unknown column "a@example.com"/],
    ["an expiresAt column to revoke", () => ({ kind: "REVOKE", csv: "email,expiresAt\na@example.com,2030-01-01" }), /unknown column "expiresAt"/],
    ["a broken quote", () => ({ kind: "REVOKE", csv: 'email\n"a@example.com' }), /Line 2: a quoted cell is never closed/],
    ["too large a file", () => ({ kind: "REVOKE", csv: `email\n${"a".repeat(10_000_001)}` }), /larger than 10 MB/],
    ["too many ids", () => ({ kind: "REVOKE", ids: Array.from({ length: 5001 }, (_, i) => `id${i}`).join("\n") }), /At most 5,000/],
  ])("refuses %s whole and records nothing", async (_what, input, message) => {
    const before = await Promise.all([db.bulkOperation.count(), db.auditEvent.count()]);
    await expect(create(input())).rejects.toThrow(message);
    expect(await Promise.all([db.bulkOperation.count(), db.auditEvent.count()])).toEqual(before);
  });

  it("explains each CSV row that resolves to nothing to do", async () => {
    const { slug, granted } = await customers(1);
    const { email, entitlement } = granted[0]!;
    const { operation } = await create({
      kind: "REVOKE",
      csv: ["email,product", `${email},no-such-product`, "not-an-email,", `${admin.label},`, `${email},${slug}`, `${email},`].join("\n"),
    });
    expect((await items(operation.id)).map((i) => [i.status, i.message])).toEqual([
      ["FAILED", 'No product with the slug "no-such-product"'],
      ["FAILED", "Not an email address"],
      ["FAILED", "This email belongs to vendor staff, not a customer"],
      ["PENDING", null],
      ["SKIPPED", "Listed again: applied once"],
    ]);
    await handleBulkJob(operation.id);
    const { operation: again } = await create({ kind: "REVOKE", csv: `email\n${email}` });
    expect(await items(again.id)).toEqual([
      { input: email, entitlementId: null, status: "SKIPPED", message: "No active or suspended entitlement: nothing to revoke" },
    ]);
    expect(await events("entitlement.revoked", [entitlement.id])).toEqual([1]);
  });
});
