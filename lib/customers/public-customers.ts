import { cursorPage, pageQuerySchema } from "@/lib/paging/cursor-page";
import { db } from "@/lib/db";
import { displayState } from "@/lib/lifecycle/entitlement-lifecycle";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { strictEmail } from "@/lib/validation/strict-input";

const customerInclude = {
  users: { select: { email: true }, orderBy: { createdAt: "asc" } },
  identities: { where: { status: { not: "DELETED" } }, select: { arn: true }, take: 1 },
  entitlements: {
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: { product: { select: { slug: true, gracePeriodDays: true } } },
  },
} satisfies Prisma.CustomerInclude;

type PresentableCustomer = Prisma.CustomerGetPayload<{ include: typeof customerInclude }>;

/** The public shape of a customer in the v1 API: its users, IAM identity and entitlements in brief. */
function toPublicCustomer(c: PresentableCustomer, now: Date) {
  return {
    id: c.id,
    name: c.name,
    emails: c.users.map((u) => u.email),
    iamUserArn: c.identities[0]?.arn ?? null,
    keyAccess: c.keyAccess,
    entitlements: c.entitlements.map((e) => ({
      id: e.id,
      product: e.product.slug,
      status: e.status,
      state: displayState(e, e.product.gracePeriodDays, now),
      expiresAt: e.expiresAt,
    })),
    createdAt: c.createdAt,
  };
}

const customerPageQuerySchema = pageQuerySchema.extend({
  // Emails are stored lower-cased, so the filter matches whatever case the caller sends.
  email: strictEmail("email must be an email address").optional(),
});

export async function pageCustomers(query: Record<string, string>) {
  const { email, ...page } = customerPageQuerySchema.parse(query);
  const now = new Date();
  const filter: Prisma.CustomerWhereInput = email ? { users: { some: { email } } } : {};
  return cursorPage(page, filter, (window) => db.customer.findMany({ ...window, include: customerInclude }), (c) => toPublicCustomer(c, now));
}

export async function presentCustomer(id: string) {
  const customer = await db.customer.findUnique({ where: { id }, include: customerInclude });
  if (!customer) throw new AppError("NOT_FOUND", `No customer ${id}`);
  return toPublicCustomer(customer, new Date());
}
