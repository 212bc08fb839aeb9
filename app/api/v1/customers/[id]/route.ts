import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/api-route";
import { presentCustomer } from "@/lib/customers/public-customers";

export const GET = apiRoute<{ id: string }>(async ({ params }) => NextResponse.json(await presentCustomer(params.id)));
