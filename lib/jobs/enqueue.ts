import { createHash } from "node:crypto";
import { jobEngine } from "./boss";
import { QUEUES } from "./queues";

// Coalescing: at most one pending job per customer (per second) and per repository (per slot).
// A send while one is pending is absorbed by it; the job reads the database when it runs, so it
// applies every change made before that moment.

/** `at` delays the job, for an entitlement that starts in the future. */
export async function enqueueCustomerReconcile(customerId: string, at?: Date) {
  const boss = await jobEngine();
  await boss.sendDebounced(QUEUES.reconcileCustomer, { customerId }, at ? { startAfter: at } : {}, 1, customerId);
}

// Repository jobs run at most once per slot; whether a job writes or waits for more principals
// is the batch window's call (lib/provisioning/batch-window), made when it runs.
const REPOSITORY_JOB_SLOT_SECONDS = 2;

/** `at` is the moment a held write falls due: one job per repository and moment. */
export async function enqueueRepositoryReconcile(repositoryId: string, at?: Date) {
  const boss = await jobEngine();
  if (at) {
    await boss.send(QUEUES.reconcileRepository, { repositoryId }, { id: uuidFrom(`repository:${repositoryId}:${at.toISOString()}`), startAfter: at });
    return;
  }
  await boss.sendDebounced(QUEUES.reconcileRepository, { repositoryId }, {}, REPOSITORY_JOB_SLOT_SECONDS, repositoryId);
}

/**
 * Wakes the expiry job when access ends. Entitlements ending in the same second share one job:
 * its id is derived from the moment, and the engine ignores a second job with the same id. A
 * moment already past is due now (its own second's job may have run long ago).
 */
export async function scheduleExpiry(at: Date) {
  const boss = await jobEngine();
  const second = new Date(Math.ceil(Math.max(at.getTime(), Date.now()) / 1000) * 1000);
  await boss.send(QUEUES.expireEntitlements, {}, { id: uuidFrom(`expire:${second.toISOString()}`), startAfter: second });
}

/** A sign-in link someone asked for, mailed by the worker if the address belongs to a user. */
export async function enqueueSignInLink(email: string) {
  const boss = await jobEngine();
  await boss.send(QUEUES.signInLink, { email });
}

function uuidFrom(text: string) {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
