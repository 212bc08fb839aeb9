import { db } from "@/lib/db";
import type { AccessKeyStatus, IdentityStatus } from "@/lib/generated/prisma/enums";
import { displayState, type DisplayState } from "@/lib/lifecycle/entitlement-lifecycle";
import { listTeamForVendor, type TeamMember } from "@/lib/users/list-team";

export type CustomerEntitlementRow = { id: string; productName: string; state: DisplayState; startsAt: Date; expiresAt: Date };

/** The customer's live IAM user with its keys not yet deleted, newest first. */
export type CustomerIdentity = {
  userName: string;
  arn: string;
  status: IdentityStatus;
  accessKeys: { id: string; accessKeyId: string; status: AccessKeyStatus; createdAt: Date; retireAfter: Date | null }[];
};

export type CustomerView = {
  id: string;
  name: string;
  createdAt: Date;
  users: TeamMember[];
  /** Newest first. */
  entitlements: CustomerEntitlementRow[];
  identity: CustomerIdentity | null;
};

/** One customer as the vendor sees it: its users, entitlements and IAM user; null if there is no such customer. */
export async function getCustomerView(id: string, now = new Date()): Promise<CustomerView | null> {
  const [customer, users] = await Promise.all([
    db.customer.findUnique({
      where: { id },
      select: {
        id: true,
        name: true,
        createdAt: true,
        entitlements: {
          orderBy: { createdAt: "desc" },
          select: { id: true, status: true, syncStatus: true, startsAt: true, expiresAt: true, product: { select: { name: true, gracePeriodDays: true } } },
        },
        identities: {
          where: { liveFor: { not: null } },
          select: {
            userName: true,
            arn: true,
            status: true,
            accessKeys: {
              where: { status: { not: "DELETED" } },
              orderBy: { createdAt: "desc" },
              select: { id: true, accessKeyId: true, status: true, createdAt: true, retireAfter: true },
            },
          },
        },
      },
    }),
    listTeamForVendor(id),
  ]);
  if (!customer) return null;
  const { entitlements, identities, ...rest } = customer;
  return {
    ...rest,
    users,
    entitlements: entitlements.map(({ product, ...e }) => ({
      id: e.id,
      productName: product.name,
      state: displayState(e, product.gracePeriodDays, now),
      startsAt: e.startsAt,
      expiresAt: e.expiresAt,
    })),
    identity: identities[0] ?? null,
  };
}
