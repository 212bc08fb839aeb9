import { sendSignInLink } from "@/lib/auth/send-sign-in-link";
import { db } from "@/lib/db";
import { log } from "@/lib/log";

/** Tells each owner of these customers, with a sign-in link, that a new access key waits for them. */
export async function tellOfNewKeys(customerIds: string[]) {
  const owners = await db.user.findMany({ where: { customerId: { in: customerIds }, role: "CUSTOMER_OWNER" }, select: { id: true, email: true, customerId: true } });
  for (const owner of owners) {
    // Not retried: the new key also shows on the download page at the next sign-in.
    await sendSignInLink(owner, "new-key").catch((error: unknown) => log().error({ err: error, customerId: owner.customerId }, "new key email failed"));
  }
}
