import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { engineAttention } from "@/lib/health/attention";
import { jobEngine, stopJobEngine } from "@/lib/jobs/boss";
import { DEAD_LETTER_QUEUE } from "@/lib/jobs/queues";

afterAll(async () => {
  await stopJobEngine();
  await disconnectDb();
});

describe("what the overview asks an admin to act on", () => {
  it("counts jobs that gave up and the last drift audit's unrepaired findings", async () => {
    const boss = await jobEngine();
    const before = await engineAttention(new Date(0));
    await boss.send(DEAD_LETTER_QUEUE, { customerId: "gave-up" });
    await db.driftRun.create({
      data: { finishedAt: new Date(), findings: [{ kind: "orphan-user" }, { kind: "orphan-user" }, { kind: "stale-principal" }], repaired: 1 },
    });

    // A different moment than the first read, so the short-lived cache is not what answers.
    const after = await engineAttention(new Date(60_000));
    expect(after.deadLetters).toBe(before.deadLetters + 1);
    expect(after.drift).toMatchObject({ findings: 3, repaired: 1, error: null });
  });
});
