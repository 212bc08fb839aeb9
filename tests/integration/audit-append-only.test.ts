import { afterAll, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { closePools } from "../support/close-pools";
import { unique } from "../support/seed";

afterAll(closePools);

async function newEvent() {
  const marker = unique("audit");
  await recordAuditEvent(db, { actor: systemActor("test"), action: "test.append_only", data: { marker } });
  return db.auditEvent.findFirstOrThrow({ where: { data: { path: ["marker"], equals: marker } } });
}

class Rollback extends Error {}

describe("the audit log", () => {
  it("refuses to update a row, even through raw SQL", async () => {
    const event = await newEvent();
    await expect(
      db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "actorLabel" = 'forged' WHERE "id" = $1`, event.id),
    ).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.findUniqueOrThrow({ where: { id: event.id } })).toEqual(event);
  });

  it("refuses to delete a row, even through raw SQL", async () => {
    const event = await newEvent();
    await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "id" = $1`, event.id)).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.findUnique({ where: { id: event.id } })).toEqual(event);
  });

  it("refuses updates and deletes through the client as well", async () => {
    const event = await newEvent();
    await expect(db.auditEvent.update({ where: { id: event.id }, data: { action: "forged" } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.deleteMany({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.findUniqueOrThrow({ where: { id: event.id } })).toEqual(event);
  });

  it("refuses TRUNCATE, which row triggers do not see", async () => {
    const event = await newEvent();
    // In a transaction rolled back either way, so the shared log survives if TRUNCATE is accepted.
    const outcome = await db
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`TRUNCATE "AuditEvent"`);
        throw new Rollback("TRUNCATE was accepted");
      })
      .catch((error: unknown) => error);
    expect(outcome).not.toBeInstanceOf(Rollback);
    expect(String(outcome)).toMatch(/append-only/);
    expect(await db.auditEvent.findUnique({ where: { id: event.id } })).toEqual(event);
  });
});
