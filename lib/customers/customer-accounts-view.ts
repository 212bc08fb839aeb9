import { proofStsEndpoint } from "@/lib/aws/caller-identity-proof";
import { db } from "@/lib/db";
import { proveAccountCommand } from "./account-proof-script";

export type AccountState = "granted" | "pending" | "no-access";

/** What an unproven account's owner needs to prove it: the open nonce's command, and until when it works. */
export type OpenProof = { command: string; host: string; expiresAt: Date };

/**
 * The customer's registered AWS accounts, whether each is proven (with the open proof's command
 * for one that is not) and whether each is in the repository policies it should be in. Read for this customer only (liveFor is the customer's id while registered).
 */
export async function getCustomerAccountsView(customerId: string) {
  const customer = await db.customer.findUniqueOrThrow({
    where: { id: customerId },
    select: {
      keyAccess: true,
      accounts: {
        where: { liveFor: customerId },
        orderBy: { createdAt: "asc" },
        select: { id: true, accountId: true, createdAt: true, provenAt: true, grants: { select: { desired: true, applied: true } } },
      },
      accountProofs: { where: { usedAt: null, expiresAt: { gt: new Date() } }, orderBy: { createdAt: "desc" }, select: { accountId: true, nonce: true, expiresAt: true } },
    },
  });
  const sts = proofStsEndpoint();
  const accounts = customer.accounts.map(({ grants, provenAt, ...account }) => {
    const wanted = grants.filter((g) => g.desired);
    const state: AccountState = wanted.length === 0 ? "no-access" : wanted.every((g) => g.applied) ? "granted" : "pending";
    const open = provenAt ? undefined : customer.accountProofs.find((c) => c.accountId === account.accountId);
    const proof: OpenProof | null = open ? { command: proveAccountCommand({ nonce: open.nonce, url: sts.url, region: sts.region }), host: sts.host, expiresAt: open.expiresAt } : null;
    return { ...account, state, proven: Boolean(provenAt), proof, repositories: wanted.filter((g) => g.applied).length };
  });
  return { keyAccess: customer.keyAccess, accounts };
}
