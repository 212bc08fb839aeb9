import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/api-route";
import { presentProduct } from "@/lib/products/public-products";

export const GET = apiRoute<{ slug: string }>(async ({ params }) => NextResponse.json(await presentProduct(params.slug)));
