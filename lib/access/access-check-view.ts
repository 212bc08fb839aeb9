// The admin's access check: which customer and product were asked about, what AWS answers, and
// whether that is what the database wants. The two answers come from separate sources on purpose:
// when they differ, provisioning has failed or someone changed AWS behind the engine's back.

import { isAwsError } from "@/lib/aws/aws-error";
import { db } from "@/lib/db";
import { displayState, grantsAccess, type DisplayState } from "@/lib/lifecycle/entitlement-lifecycle";
import type { EntitlementStatus, SyncStatus } from "@/lib/generated/prisma/enums";
import { strategyLabel } from "@/lib/products/repository-strategy";
import { listProductOptions, type ProductOption } from "@/lib/products/product-options-view";
import { checkPullAccess, type PullAccess, type RepositoryAccess } from "./check-pull-access";
import { matchingCustomerIds } from "@/lib/customers/matching-customer-ids";

/** More matches than this ask for a narrower search instead of a longer list. */
const CUSTOMER_MATCH_LIMIT = 20;

export type CustomerOption = { id: string; name: string; email: string | null };

export type CustomerLookup =
  | { kind: "none" }
  | { kind: "found"; customer: CustomerOption }
  | { kind: "ambiguous"; matches: CustomerOption[]; more: boolean }
  | { kind: "no-match" };

export type Expectation = {
  /** Whether the database wants the customer to pull the product now. */
  grants: boolean;
  /** The entitlement that grants access, or else the latest one; null when there is none. */
  entitlement: {
    id: string;
    status: EntitlementStatus;
    syncStatus: SyncStatus;
    syncError: string | null;
    state: DisplayState;
    startsAt: Date;
    expiresAt: Date;
  } | null;
};

/** What to do about a disagreement: the failure the engine recorded, work still queued, or drift. */
export type Remedy = "retry-provisioning" | "in-progress" | "drift-repair";

export type Agreement =
  | { kind: "agree" }
  /** AWS gave no answer to compare, or the product has nothing to pull from. */
  | { kind: "unknown" }
  | { kind: "disagree"; repositories: { id: string; name: string }[]; remedy: Remedy };

/** AWS's answer, each repository's grant strategy put in words for the admin. */
export type AnsweredAccess = Omit<PullAccess, "repositories"> & { repositories: (RepositoryAccess & { strategyLabel: string })[] };

export type AwsAnswer = { ok: true; access: AnsweredAccess } | { ok: false; error: string; accessDenied: boolean };

export type AccessCheck = {
  customer: CustomerOption;
  product: ProductOption;
  checkedAt: Date;
  aws: AwsAnswer;
  expected: Expectation;
  agreement: Agreement;
};

export type AccessCheckView = {
  products: ProductOption[];
  customer: CustomerLookup;
  product: ProductOption | null;
  /** A product id was given that names no product. */
  productUnknown: boolean;
  /** Present once both the customer and the product are known. */
  check: AccessCheck | null;
};

/** Everything the access check page shows for `?customer=...&product=...`. */
export async function getAccessCheckView(query: { customer?: string; product?: string }, now = new Date()): Promise<AccessCheckView> {
  const [products, customer] = await Promise.all([listProductOptions(), findCustomer(query.customer)]);
  const product = products.find((p) => p.id === query.product) ?? null;
  const productUnknown = Boolean(query.product) && !product;
  const check = customer.kind === "found" && product ? await runCheck(customer.customer, product, now) : null;
  return { products, customer, product, productUnknown, check };
}

const customerSelect = {
  id: true,
  name: true,
  users: { select: { email: true }, orderBy: { createdAt: "asc" }, take: 1 },
} as const;

const toOption = (c: { id: string; name: string; users: { email: string }[] }): CustomerOption => ({
  id: c.id,
  name: c.name,
  email: c.users[0]?.email ?? null,
});

/**
 * The customer's id or one of its users' emails exactly, as they are pasted from elsewhere;
 * otherwise a name or email containing the text, which may match several.
 */
async function findCustomer(text: string | undefined): Promise<CustomerLookup> {
  if (!text) return { kind: "none" };
  const byId = await db.customer.findUnique({ where: { id: text }, select: customerSelect });
  if (byId) return { kind: "found", customer: toOption(byId) };
  const user = await db.user.findUnique({ where: { email: text.toLowerCase() }, select: { customer: { select: customerSelect } } });
  if (user?.customer) return { kind: "found", customer: toOption(user.customer) };

  const ids = await db.$queryRaw<{ id: string }[]>`
    SELECT c.id FROM "Customer" c WHERE c.id IN (${matchingCustomerIds(text)}) ORDER BY c.name, c.id LIMIT ${CUSTOMER_MATCH_LIMIT + 1}`;
  const matches = (
    await db.customer.findMany({ where: { id: { in: ids.map((c) => c.id) } }, orderBy: [{ name: "asc" }, { id: "asc" }], select: customerSelect })
  ).map(toOption);
  if (matches.length === 0) return { kind: "no-match" };
  if (matches.length === 1) return { kind: "found", customer: matches[0]! };
  return { kind: "ambiguous", matches: matches.slice(0, CUSTOMER_MATCH_LIMIT), more: matches.length > CUSTOMER_MATCH_LIMIT };
}

async function runCheck(customer: CustomerOption, product: ProductOption, now: Date): Promise<AccessCheck> {
  const [aws, expected] = await Promise.all([askAws(customer.id, product.id), expectation(customer.id, product.id, now)]);
  return { customer, product, checkedAt: now, aws, expected, agreement: compare(aws, expected) };
}

/** AWS failing to answer (unreachable, refusing the portal's identity) is shown, not thrown. */
async function askAws(customerId: string, productId: string): Promise<AwsAnswer> {
  try {
    const access = await checkPullAccess(customerId, productId);
    return { ok: true, access: { ...access, repositories: access.repositories.map((r) => ({ ...r, strategyLabel: strategyLabel(r.strategy) })) } };
  } catch (error) {
    if (!isAwsError(error)) throw error;
    return { ok: false, error: error.message, accessDenied: error.code.startsWith("AccessDenied") };
  }
}

async function expectation(customerId: string, productId: string, now: Date): Promise<Expectation> {
  const entitlements = await db.entitlement.findMany({
    where: { customerId, productId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      id: true,
      status: true,
      syncStatus: true,
      syncError: true,
      startsAt: true,
      expiresAt: true,
      product: { select: { gracePeriodDays: true } },
    },
  });
  const granting = entitlements.find((e) => grantsAccess(e, e.product.gracePeriodDays, now));
  const shown = granting ?? entitlements[0];
  if (!shown) return { grants: false, entitlement: null };
  const { product, ...entitlement } = shown;
  return { grants: Boolean(granting), entitlement: { ...entitlement, state: displayState(shown, product.gracePeriodDays, now) } };
}

/**
 * Repository by repository: a customer pulling from one repository too many is a disagreement too.
 * A repository is reachable through the customer's IAM user, any of its own accounts or its
 * workload role (whose answers are empty for a product not offering federation).
 */
function compare(aws: AwsAnswer, expected: Expectation): Agreement {
  if (!aws.ok || aws.access.repositories.length === 0) return { kind: "unknown" };
  const others = [...aws.access.accounts, ...(aws.access.workloadRole ? [aws.access.workloadRole] : [])];
  const viaOther = new Set(others.flatMap((o) => o.repositories.filter((r) => r.allowed).map((r) => r.repositoryId)));
  const differing = aws.access.repositories
    .filter((r) => (r.allowed || viaOther.has(r.repositoryId)) !== expected.grants)
    .map((r) => ({ id: r.repositoryId, name: r.repository }));
  if (differing.length === 0) return { kind: "agree" };
  const sync = expected.entitlement?.syncStatus;
  const remedy: Remedy = sync === "FAILED" ? "retry-provisioning" : sync === "PENDING" ? "in-progress" : "drift-repair";
  return { kind: "disagree", repositories: differing, remedy };
}
