import { AppError } from "@/lib/errors";
import type { Tx } from "@/lib/db";

/**
 * The customer organisation that the email belongs to, created with that email as its owner
 * user when it is new. Vendor staff emails are refused.
 */
export async function findOrCreateCustomer(tx: Tx, email: string, name?: string) {
  const user = await tx.user.findUnique({ where: { email }, select: { id: true, customerId: true, email: true } });
  if (user) {
    if (!user.customerId) throw new AppError("INVALID_INPUT", `${email} belongs to a vendor administrator, not a customer`);
    return { customerId: user.customerId, user, created: false };
  }
  const customer = await tx.customer.create({
    data: {
      name: name ?? email.split("@")[1] ?? email,
      users: { create: { email, name: name ?? null, role: "CUSTOMER_OWNER" } },
    },
    select: { id: true, users: { select: { id: true, email: true, customerId: true } } },
  });
  return { customerId: customer.id, user: customer.users[0]!, created: true };
}
