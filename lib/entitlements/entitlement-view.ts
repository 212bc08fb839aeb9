import { auditRowSelect, type AuditEventRow } from "@/lib/audit/list-audit-events";
import { db } from "@/lib/db";
import type { AccessKeyStatus, EntitlementKind, EntitlementSource, EntitlementStatus, IdentityStatus, SyncStatus } from "@/lib/generated/prisma/enums";
import { displayState, type DisplayState } from "@/lib/lifecycle/entitlement-lifecycle";
import type { LiveAwsRepository } from "./live-aws-state";

const TIMELINE_EVENTS = 200;

export type EntitlementDetail = {
  id: string;
  customerId: string;
  productId: string;
  kind: EntitlementKind;
  source: EntitlementSource;
  externalRef: string | null;
  autoRenews: boolean;
  status: EntitlementStatus;
  syncStatus: SyncStatus;
  syncError: string | null;
  syncAttempts: number;
  syncedAt: Date | null;
  startsAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  endedReason: string | null;
  state: DisplayState;
  /** `email` is the customer's first user's, null when it has none. */
  customer: { id: string; name: string; email: string | null };
  product: { name: string; slug: string; gracePeriodDays: number; repositories: LiveAwsRepository[] };
};

/** The customer's live IAM user: its keys not yet deleted, newest first, and its grants on this product's repositories. */
export type EntitlementIdentity = {
  userName: string;
  arn: string;
  status: IdentityStatus;
  createdAt: Date;
  accessKeys: { id: string; accessKeyId: string; status: AccessKeyStatus; createdAt: Date; revealedAt: Date | null }[];
  grants: { repositoryId: string; desired: boolean; applied: boolean; appliedAt: Date | null }[];
};

/** The customer's workload role as the database records it (null: none), and how many workloads it trusts. */
export type EntitlementWorkloadRole = { arn: string | null; trustedWorkloads: number };

export type EntitlementView = {
  entitlement: EntitlementDetail;
  identity: EntitlementIdentity | null;
  workloadRole: EntitlementWorkloadRole;
  /** Events of the entitlement and AWS changes for its customer, newest first. */
  events: AuditEventRow[];
};

const scalars = {
  id: true,
  customerId: true,
  productId: true,
  kind: true,
  source: true,
  externalRef: true,
  autoRenews: true,
  status: true,
  syncStatus: true,
  syncError: true,
  syncAttempts: true,
  syncedAt: true,
  startsAt: true,
  expiresAt: true,
  endedAt: true,
  endedReason: true,
} as const;

/** One entitlement as the vendor's detail page shows it; null if there is no such entitlement. */
export async function getEntitlementView(id: string, now = new Date()): Promise<EntitlementView | null> {
  const found = await db.entitlement.findUnique({
    where: { id },
    select: {
      ...scalars,
      customer: {
        select: {
          id: true,
          name: true,
          users: { select: { email: true }, orderBy: { createdAt: "asc" }, take: 1 },
          workloadRoleArn: true,
          _count: { select: { workloadIdentities: true } },
        },
      },
      product: {
        select: { name: true, slug: true, gracePeriodDays: true, repositories: { orderBy: { name: "asc" }, select: { id: true, accountId: true, region: true, name: true } } },
      },
    },
  });
  if (!found) return null;
  const [identity, events] = await Promise.all([
    db.awsIdentity.findUnique({
      where: { liveFor: found.customerId },
      select: {
        userName: true,
        arn: true,
        status: true,
        createdAt: true,
        accessKeys: {
          where: { status: { not: "DELETED" } },
          orderBy: { createdAt: "desc" },
          select: { id: true, accessKeyId: true, status: true, createdAt: true, revealedAt: true },
        },
        grants: {
          where: { repositoryId: { in: found.product.repositories.map((r) => r.id) } },
          select: { repositoryId: true, desired: true, applied: true, appliedAt: true },
        },
      },
    }),
    db.auditEvent.findMany({
      where: { OR: [{ entitlementId: id }, { customerId: found.customerId, action: { startsWith: "aws." } }] },
      orderBy: { at: "desc" },
      take: TIMELINE_EVENTS,
      select: auditRowSelect,
    }),
  ]);
  const { users, workloadRoleArn, _count, ...customer } = found.customer;
  const entitlement = { ...found, state: displayState(found, found.product.gracePeriodDays, now), customer: { ...customer, email: users[0]?.email ?? null } };
  return { entitlement, identity, workloadRole: { arn: workloadRoleArn, trustedWorkloads: _count.workloadIdentities }, events };
}
