import { log } from "@/lib/log";
import { enqueueCustomerReconcile, scheduleExpiry } from "@/lib/jobs/enqueue";

// How a change of desired state asks the reconcile loop to act. The change is already committed
// when these run, so a failure to queue is logged, not thrown: the minute sweep finds the work.

/** Reconcile the customer soon (`at`: not before then, for access that starts later). */
export async function requestCustomerReconcile(customerId: string, at?: Date) {
  await enqueueCustomerReconcile(customerId, at).catch((error: unknown) =>
    log().error({ err: error, customerId }, "could not enqueue the reconcile; the sweep will pick it up"),
  );
}

/** Wake the expiry pass when access ends at `at`. */
export async function requestExpiry(at: Date) {
  await scheduleExpiry(at).catch((error: unknown) => log().error({ err: error }, "could not schedule the expiry; the minute sweep covers it"));
}
