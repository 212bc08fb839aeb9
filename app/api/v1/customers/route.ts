import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/api-route";
import { queryOf } from "@/lib/paging/cursor-page";
import { pageCustomers } from "@/lib/customers/public-customers";

export const GET = apiRoute(async ({ req }) => NextResponse.json(await pageCustomers(queryOf(req.url))));
