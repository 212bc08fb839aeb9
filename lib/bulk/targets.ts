import { z } from "zod";
import { readCsvTable } from "@/lib/csv/read-csv";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BulkItemStatus, BulkOperationKind } from "@/lib/generated/prisma/enums";
import { CSV_TOO_LARGE, MAX_CSV_BYTES, MAX_TARGETS } from "./bulk-terms";

// What a bulk action applies to, resolved when it is created: one item per entitlement, in the
// order given. An input line that names nothing becomes a FAILED item with the reason, so one
// unknown email never rejects the whole upload.

export type ItemDraft = {
  input: string;
  entitlementId: string | null;
  expiresAt: Date | null;
  status: Extract<BulkItemStatus, "PENDING" | "SKIPPED" | "FAILED">;
  message: string | null;
};

const failed = (input: string, message: string): ItemDraft => ({ input, entitlementId: null, expiresAt: null, status: "FAILED", message });

/** Entitlement ids as pasted or linked: separated by line breaks, commas, semicolons or spaces. */
export function parseIdList(value: string | string[] | undefined): string[] {
  return [value ?? []].flat().flatMap((v) => v.split(/[\s,;]+/)).filter(Boolean);
}

/** Each entitlement once, in the order first given; a repeat is skipped and says so. */
function dedupe(items: ItemDraft[]): ItemDraft[] {
  const seen = new Set<string>();
  return items.map((item) => {
    if (!item.entitlementId || item.status !== "PENDING") return item;
    if (seen.has(item.entitlementId)) return { ...item, status: "SKIPPED", message: "Listed again: applied once" };
    seen.add(item.entitlementId);
    return item;
  });
}

export async function resolveIds(ids: string[], expiresAt: Date | null): Promise<ItemDraft[]> {
  if (ids.length > MAX_TARGETS) throw new AppError("INVALID_INPUT", `At most ${MAX_TARGETS.toLocaleString("en-US")} entitlements at once; split the list`);
  const found = new Set((await db.entitlement.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((e) => e.id));
  return dedupe(
    ids.map((id) =>
      found.has(id) ? { input: id, entitlementId: id, expiresAt, status: "PENDING", message: null } : failed(id, "No entitlement with this id"),
    ),
  );
}

type CsvTargets = {
  where: Prisma.EntitlementWhereInput;
  /** Extending renews a customer's subscription: its latest entitlement per product, not every old one. */
  latestPerProduct: boolean;
  none: Pick<ItemDraft, "status" | "message">;
};

// Which of a customer's entitlements a CSV row stands for, per kind of action.
const CSV_TARGETS: Record<BulkOperationKind, CsvTargets> = {
  EXTEND: {
    where: { status: { not: "REVOKED" } },
    latestPerProduct: true,
    none: { status: "FAILED", message: "No entitlement to extend (a revoked one needs a new grant)" },
  },
  REVOKE: {
    where: { status: { in: ["ACTIVE", "SUSPENDED"] } },
    latestPerProduct: false,
    none: { status: "SKIPPED", message: "No active or suspended entitlement: nothing to revoke" },
  },
  REPROVISION: {
    where: { OR: [{ status: { in: ["ACTIVE", "SUSPENDED"] } }, { syncStatus: { not: "SYNCED" } }] },
    latestPerProduct: false,
    none: { status: "SKIPPED", message: "No live entitlement and nothing waiting for AWS: nothing to re-provision" },
  },
};

const email = z.email();
// A CSV date is a UTC day, as the form's date field, or a full ISO 8601 instant.
const csvDate = z.union([
  z.iso.date().transform((day) => new Date(`${day}T00:00:00.000Z`)),
  z.iso.datetime({ offset: true }).transform((instant) => new Date(instant)),
]);

type Column = "email" | "product" | "expiresAt";

/**
 * A CSV of customers: `email`, optionally `product` (a slug) to narrow the row to one product and,
 * to extend, `expiresAt` to override the form's date for that row.
 */
export async function resolveCsv(kind: BulkOperationKind, text: string, defaultExpiresAt: Date | null): Promise<ItemDraft[]> {
  if (Buffer.byteLength(text) > MAX_CSV_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", CSV_TOO_LARGE);
  const optional: Column[] = kind === "EXTEND" ? ["product", "expiresAt"] : ["product"];
  const rows = readCsvTable<Column>(text, { required: ["email"], optional, maxRows: MAX_TARGETS });
  if (kind === "EXTEND" && !defaultExpiresAt && rows.every((r) => !r.values.expiresAt)) {
    throw new AppError("INVALID_INPUT", "Choose the new expiry date, or give the rows an expiresAt column");
  }

  const emails = [...new Set(rows.flatMap((r) => (r.values.email ? [r.values.email.toLowerCase()] : [])))];
  const slugs = [...new Set(rows.flatMap((r) => (r.values.product ? [r.values.product] : [])))];
  const [users, products] = await Promise.all([
    db.user.findMany({ where: { email: { in: emails } }, select: { email: true, customerId: true } }),
    db.product.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } }),
  ]);
  const userByEmail = new Map(users.map((u) => [u.email, u]));
  const productBySlug = new Map(products.map((p) => [p.slug, p.id]));
  const targets = CSV_TARGETS[kind];
  const customerIds = [...new Set(users.flatMap((u) => (u.customerId ? [u.customerId] : [])))];
  const entitlements = await db.entitlement.findMany({
    where: { AND: [{ customerId: { in: customerIds } }, targets.where] },
    select: { id: true, customerId: true, productId: true },
    // Newest expiry first, so the first per product is the latest.
    orderBy: [{ customerId: "asc" }, { expiresAt: "desc" }, { createdAt: "desc" }],
  });
  const byCustomer = new Map<string, typeof entitlements>();
  for (const e of entitlements) {
    const list = byCustomer.get(e.customerId);
    if (list) list.push(e);
    else byCustomer.set(e.customerId, [e]);
  }

  return dedupe(
    rows.flatMap(({ text: input, values }): ItemDraft[] => {
      const address = values.email?.toLowerCase();
      if (!address || !email.safeParse(address).success) return [failed(input, "Not an email address")];
      const user = userByEmail.get(address);
      if (!user) return [failed(input, "No customer with this email")];
      if (!user.customerId) return [failed(input, "This email belongs to vendor staff, not a customer")];
      const productId = values.product ? productBySlug.get(values.product) : undefined;
      if (values.product && !productId) return [failed(input, `No product with the slug "${values.product}"`)];

      let expiresAt: Date | null = null;
      if (kind === "EXTEND") {
        const own = values.expiresAt ? csvDate.safeParse(values.expiresAt) : null;
        if (own && !own.success) return [failed(input, `expiresAt "${values.expiresAt}" is not a date; write it as YYYY-MM-DD`)];
        expiresAt = own?.data ?? defaultExpiresAt;
        if (!expiresAt) return [failed(input, "No expiry date: fill in this row's expiresAt or choose a date in the form")];
      }

      let matches = (byCustomer.get(user.customerId) ?? []).filter((e) => !productId || e.productId === productId);
      if (targets.latestPerProduct) matches = matches.filter((e, i) => matches.findIndex((m) => m.productId === e.productId) === i);
      if (matches.length === 0) return [{ input, entitlementId: null, expiresAt: null, ...targets.none }];
      return matches.map((e) => ({ input, entitlementId: e.id, expiresAt, status: "PENDING", message: null }));
    }),
  );
}
