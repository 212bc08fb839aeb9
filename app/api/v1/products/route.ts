import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/api-route";
import { repositoryUri } from "@/lib/aws/ecr";
import { db } from "@/lib/db";

export const GET = apiRoute(async () => {
  const products = await db.product.findMany({ orderBy: { name: "asc" }, include: { repositories: { orderBy: { name: "asc" } } } });
  return NextResponse.json({
    data: products.map((p) => ({
      slug: p.slug,
      name: p.name,
      description: p.description,
      gracePeriodDays: p.gracePeriodDays,
      repositories: p.repositories.map((r) => ({ name: r.name, region: r.region, accountId: r.accountId, uri: repositoryUri(r) })),
    })),
  });
});
