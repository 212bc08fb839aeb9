import { cursorPage, pageQuerySchema } from "@/lib/paging/cursor-page";
import { repositoryUri } from "@/lib/aws/ecr";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

const productInclude = { repositories: { orderBy: { name: "asc" } } } satisfies Prisma.ProductInclude;

type PresentableProduct = Prisma.ProductGetPayload<{ include: typeof productInclude }>;

/** The public shape of a product in the v1 API, with the terms a grant defaults to. */
function toPublicProduct(p: PresentableProduct) {
  return {
    slug: p.slug,
    name: p.name,
    description: p.description,
    gracePeriodDays: p.gracePeriodDays,
    trialDays: p.trialDays,
    defaultTermDays: p.defaultTermDays,
    renewalUrl: p.renewalUrl,
    repositories: p.repositories.map((r) => ({ name: r.name, region: r.region, accountId: r.accountId, uri: repositoryUri(r) })),
    createdAt: p.createdAt,
  };
}

export async function pageProducts(query: Record<string, string>) {
  return cursorPage(
    pageQuerySchema.parse(query),
    {},
    (window) => db.product.findMany({ ...window, include: productInclude }),
    toPublicProduct,
  );
}

export async function presentProduct(slug: string) {
  const product = await db.product.findUnique({ where: { slug }, include: productInclude });
  if (!product) throw new AppError("NOT_FOUND", `No product ${slug}`);
  return toPublicProduct(product);
}
