import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/api-route";
import { queryOf } from "@/lib/paging/cursor-page";
import { pageProducts } from "@/lib/products/public-products";

export const GET = apiRoute(async ({ req }) => NextResponse.json(await pageProducts(queryOf(req.url))));
