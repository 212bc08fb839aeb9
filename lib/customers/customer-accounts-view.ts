import { db } from "@/lib/db";

export type AccountState = "granted" | "pending" | "no-access";

/**
 * The customer's registered AWS accounts and whether each is in the repository policies it
 * should be in. Read for this customer only (liveFor is the customer's id while registered).
 */
export async function getCustomerAccountsView(customerId: string) {
  const customer = await db.customer.findUniqueOrThrow({
    where: { id: customerId },
    select: {
      keyAccess: true,
      accounts: {
        where: { liveFor: customerId },
        orderBy: { createdAt: "asc" },
        select: { id: true, accountId: true, createdAt: true, grants: { select: { desired: true, applied: true } } },
      },
    },
  });
  const accounts = customer.accounts.map(({ grants, ...account }) => {
    const wanted = grants.filter((g) => g.desired);
    const state: AccountState = wanted.length === 0 ? "no-access" : wanted.every((g) => g.applied) ? "granted" : "pending";
    return { ...account, state, repositories: wanted.filter((g) => g.applied).length };
  });
  return { keyAccess: customer.keyAccess, accounts };
}
